import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itMatchesEachDataCase, runOnCopy, unavailable, useTreeBefore } from './stage-cases.js';

const skip = unavailable([]);
const ENTRIES = 'boot/loader/entries';

describe.skipIf(skip !== null)(`org.osbuild.fix-bls${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);

  it('fails on an entry that is not UTF-8, naming it', async () => {
    const { result } = await runOnCopy(before(), {}, (tree) => {
      mkdirSync(join(tree, ENTRIES), { recursive: true });
      writeFileSync(join(tree, ENTRIES, 'bad.conf'), Buffer.from([0x6c, 0x20, 0xff, 0x0a]));
    });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(`/${ENTRIES}/bad.conf is not UTF-8 text`);
  });

  it('keeps a byte order mark, as upstream does', async () => {
    const { result, after } = await runOnCopy(before(), {}, (tree) => {
      mkdirSync(join(tree, ENTRIES), { recursive: true });
      writeFileSync(join(tree, ENTRIES, 'bom.conf'), '\ufefflinux /x/boot/v\n');
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(after, ENTRIES, 'bom.conf'), 'utf8')).toBe('\ufefflinux /boot/v\n');
  });
});
