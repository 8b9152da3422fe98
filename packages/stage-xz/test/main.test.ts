import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesInput as fileInput, runStageLocally, sampleBytes, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

describe('org.osbuild.xz', () => {
  it('compresses the input file into the tree, the same bytes every time', async () => {
    const bytes = sampleBytes();
    const input = fileInput(bytes);
    const outputs: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const tree = testdir('tree');
      const result = await runStageLocally({ entry, tree, inputs: { file: input }, options: { filename: '/disk.raw.xz' } });
      expect(result.exitCode, result.output).toBe(0);
      outputs.push(readFileSync(join(tree, 'disk.raw.xz')));
    }
    expect(outputs[0]!.subarray(0, 6).toString('hex')).toBe('fd377a585a00');
    expect(execFileSync('xz', ['-dc'], { input: outputs[0], maxBuffer: 1 << 26 }).equals(bytes)).toBe(true);
    expect(outputs[1]!.equals(outputs[0]!)).toBe(true);
    // Upstream's settings: preset 0 (a 256 KiB dictionary), several blocks (the multi-threaded encoder).
    const listed = join(testdir('list'), 'a.xz');
    writeFileSync(listed, outputs[0]!);
    const info = execFileSync('xz', ['--robot', '--list', '-vv', listed], { encoding: 'utf8' });
    expect(info).toMatch(/--lzma2=dict=256KiB/);
    expect(Number(/^file\t\d+\t(\d+)/m.exec(info)?.[1])).toBeGreaterThan(1);
  });

  it('names the input it needs', async () => {
    const result = await runStageLocally({ entry, tree: testdir('tree'), inputs: {}, options: { filename: 'x.xz' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('no input named "file" (inputs: none); the file to compress is inputs.file');
  });
});
