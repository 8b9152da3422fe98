import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally } from '../src/testing.js';

const distIndex = join(import.meta.dirname, '..', 'dist', 'index.js');

function stageFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kit-stage-'));
  const file = join(dir, 'main.mjs');
  writeFileSync(file, `import { runStage, writeMetadata } from ${JSON.stringify(distIndex)};\n${body}\n`);
  return file;
}

describe('runStageLocally', () => {
  it('gives the stage its options and tree, and returns its metadata', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kit-tree-'));
    const entry = stageFile(`
      import { writeFileSync } from 'node:fs';
      await runStage((args) => {
        writeFileSync(args.tree + '/motd', args.options.text);
        writeMetadata({ wrote: '/motd' });
      });`);
    const result = await runStageLocally({ entry, tree, options: { text: 'hello\n' } });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(join(tree, 'motd'), 'utf8')).toBe('hello\n');
    expect(result.metadata).toEqual({ wrote: '/motd' });
  });

  it('turns a thrown error into one line and exit status 1', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kit-tree-'));
    const entry = stageFile(`await runStage(() => { throw new Error('no such user: bob'); });`);
    const result = await runStageLocally({ entry, tree });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe('no such user: bob\n');
    expect(result.metadata).toBeNull();
  });
});
