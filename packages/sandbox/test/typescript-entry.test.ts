import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInSandbox } from '../src/run.js';
import { entryLoader, isTypeScriptEntry } from '../src/typescript-entry.js';
import { tempDir } from './helpers.js';

const STAGE_DIR = fileURLToPath(new URL('./fixtures/ts-stage', import.meta.url));

describe('a TypeScript entry', () => {
  it('is told apart from JavaScript by its extension', () => {
    expect(['main.ts', 'main.mts', 'main.cts'].map(isTypeScriptEntry)).toEqual([true, true, true]);
    expect(['main.js', 'main.mjs', 'types.d.ts'].map(isTypeScriptEntry)).toEqual([false, false, false]);
  });

  it('needs no loader when it is JavaScript', async () => {
    expect(await entryLoader('/x/dist/main.js')).toEqual({ nodeOptions: [], binds: { dirs: [], symlinks: [] } });
  });

  it('runs through tsx inside the sandbox, before any build step', async () => {
    const tree = await tempDir();
    const lines: string[] = [];
    const result = await runInSandbox({
      entry: path.join(STAGE_DIR, 'src', 'main.ts'),
      packageDir: STAGE_DIR,
      root: null,
      tree,
      arguments: { tree: '/run/osbuild/tree', paths: {}, options: { name: 'world' }, meta: { id: 'test' } },
      tempDir: await tempDir(),
      onOutput: (line) => lines.push(line),
    });
    expect(result.exitCode, lines.join('\n')).toBe(0);
    expect(await readFile(path.join(tree, 'greeting'), 'utf8')).toBe('HELLO WORLD\n');
  });
});
