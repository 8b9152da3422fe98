import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

describe('org.osbuild.noop', () => {
  it('prints its options and leaves the tree alone', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'noop-tree-'));
    const result = await runStageLocally({ entry, tree, options: { level: 'build', n: 1 } });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.output)).toEqual({ level: 'build', n: 1 });
    expect(readdirSync(tree)).toEqual([]);
  });
});
