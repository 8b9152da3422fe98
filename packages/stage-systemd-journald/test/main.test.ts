import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itMatchesEachDataCase, runOnCopy, unavailable, useTreeBefore } from './stage-cases.js';

const skip = unavailable([]);
const DIR = 'usr/lib/systemd/journald.conf.d';

describe.skipIf(skip !== null)(`org.osbuild.systemd-journald${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);

  it('adds a drop-in beside existing ones', async () => {
    const { result, diff, after } = await runOnCopy(before(), { filename: '20-b.conf', config: { Journal: { Storage: 'auto' } } }, (tree) => {
      mkdirSync(join(tree, DIR), { recursive: true });
      writeFileSync(join(tree, DIR, '10-a.conf'), '[Journal]\nStorage=none\n');
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(diff).toEqual({ added_files: [`/${DIR}/20-b.conf`], deleted_files: [], differences: {} });
    expect(readFileSync(join(after, DIR, '20-b.conf'), 'utf8')).toBe('[Journal]\nStorage=auto\n\n');
  });

  it('refuses to replace a drop-in of the same name', async () => {
    const { result, diff } = await runOnCopy(before(), { filename: '10-a.conf', config: { Journal: { Storage: 'auto' } } }, (tree) => {
      mkdirSync(join(tree, DIR), { recursive: true });
      writeFileSync(join(tree, DIR, '10-a.conf'), '[Journal]\nStorage=none\n');
    });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(`/${DIR}/10-a.conf already exists`);
    expect(diff).toEqual({ added_files: [], deleted_files: [], differences: {} });
  });
});
