import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesInput as fileInput, runStageLocally, sampleBytes, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

describe('org.osbuild.zstd', () => {
  it('compresses the input file into the tree, the same bytes every time', async () => {
    const bytes = sampleBytes();
    const input = fileInput(bytes);
    const outputs: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const tree = testdir('tree');
      const result = await runStageLocally({ entry, tree, inputs: { file: input }, options: { filename: 'disk.raw.zst' } });
      expect(result.exitCode, result.output).toBe(0);
      outputs.push(readFileSync(join(tree, 'disk.raw.zst')));
    }
    expect(outputs[0]!.subarray(0, 4).toString('hex')).toBe('28b52ffd');
    expect(execFileSync('zstd', ['-dc'], { input: outputs[0], maxBuffer: 1 << 26 }).equals(bytes)).toBe(true);
    expect(outputs[1]!.equals(outputs[0]!)).toBe(true);
  });

  it('refuses a filename outside the tree', async () => {
    const result = await runStageLocally({ entry, tree: testdir('tree'), inputs: { file: fileInput(sampleBytes()) }, options: { filename: '../x.zst' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('filename "../x.zst" leaves the tree');
  });
});
