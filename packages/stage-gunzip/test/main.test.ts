import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesInput as fileInput, runStageLocally, sampleBytes, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

describe('org.osbuild.gunzip', () => {
  it('decompresses the input file to path in the tree', async () => {
    const bytes = sampleBytes();
    const tree = testdir('tree');
    const gz = execFileSync('gzip', ['-c'], { input: bytes });
    const result = await runStageLocally({ entry, tree, inputs: { file: fileInput(gz) }, options: { path: '/image.raw' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(tree, 'image.raw')).equals(bytes)).toBe(true);
  });

  it('fails, naming gunzip, on a file that is not gzip', async () => {
    const tree = testdir('tree');
    const result = await runStageLocally({ entry, tree, inputs: { file: fileInput(Buffer.from('plain text')) }, options: { path: 'x' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/not in gzip format[\s\S]*gunzip --stdout .* failed/);
  });
});
