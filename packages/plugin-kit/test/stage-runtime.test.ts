import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// What a stage's start loads, checked in a fresh Node (the built package, as a stage resolves it).
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function inFreshNode(code: string): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: packageDir, encoding: 'utf8' });
  return JSON.parse(out);
}

it('the stage runtime exports what tsc’s index does', () => {
  const names = inFreshNode(`
    const bundle = await import('@osbuild-ts/plugin-kit');
    const index = await import('./dist/index.js');
    console.log(JSON.stringify([Object.keys(bundle).sort(), Object.keys(index).sort()]));
  `) as [string[], string[]];
  expect(names[0]).toEqual(names[1]);
  expect(names[0]).toContain('runStage');
});

it('importing it loads no node:child_process until a tool runs', () => {
  const [before, after] = inFreshNode(`
    const { runTool } = await import('@osbuild-ts/plugin-kit');
    const loaded = () => process.moduleLoadList.includes('NativeModule child_process');
    const before = loaded();
    runTool('true', []);
    console.log(JSON.stringify([before, loaded()]));
  `) as [boolean, boolean];
  expect(before).toBe(false);
  expect(after).toBe(true);
});
