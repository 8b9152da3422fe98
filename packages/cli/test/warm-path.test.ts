import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from './project.js';
import { bin } from './run-cli.js';

// What a warm export and --inspect load of Node's own modules: each of
// these costs 1-4 ms of a start that does little else (bench/README.md,
// issue 19), and none is needed on these paths.
const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** Runs the CLI with a preload that writes the modules Node loaded after it (process.moduleLoadList) at exit. */
async function modulesLoadedBy(args: string[]): Promise<{ status: number | undefined; modules: string[]; stderr: string }> {
  const dir = temp('osbuild-modules-');
  const preload = join(dir, 'preload.cjs');
  const list = join(dir, 'modules');
  writeFileSync(
    preload,
    `const before = new Set(process.moduleLoadList);
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.filter((m) => !before.has(m)).join('\\n')));`,
  );
  const r = await execa(process.execPath, ['-r', preload, bin, ...args], { reject: false, env: { OSBUILD_DEBUG: '' } });
  return { status: r.exitCode, modules: readFileSync(list, 'utf8').split('\n'), stderr: r.stderr };
}

describe('modules loaded on the warm paths', () => {
  let project: string;
  let manifest: string;
  beforeAll(() => {
    project = makeProject();
    manifest = join(temp('osbuild-manifest-'), 'manifest.json');
    const stages = ['/a', '/b', '/c'].map((path) => ({ type: 'org.osbuild.mkdir', options: { paths: [{ path, mode: 0o755 }] } }));
    writeFileSync(manifest, JSON.stringify({ version: '2', pipelines: [{ name: 'tree', stages }] }));
  });

  it('a warm --quiet --export loads neither node:tty nor node:worker_threads, and exports the same tree', async () => {
    const store = temp('osbuild-store-');
    const out = temp('osbuild-out-');
    const args = ['--libdir', project, '--quiet', '--store', store, '--export', 'tree', '--output-directory', out, manifest];
    const cold = await modulesLoadedBy(args);
    expect(cold.status, cold.stderr).toBe(0);
    // The cold build ran stages: child_process is loaded then.
    expect(cold.modules).toContain('NativeModule child_process');
    const warm = await modulesLoadedBy(args);
    expect(warm.status, warm.stderr).toBe(0);
    expect(readdirSync(join(out, 'tree')).sort()).toEqual(['a', 'b', 'c']);
    expect(warm.modules).not.toContain('NativeModule tty');
    expect(warm.modules).not.toContain('NativeModule worker_threads');
    // The export's one fork is the only reason it loads child_process.
    expect(warm.modules).toContain('NativeModule child_process');
  });

  it('--inspect loads neither child_process, tty nor worker_threads', async () => {
    const r = await modulesLoadedBy(['--libdir', project, '--inspect', manifest]);
    expect(r.status, r.stderr).toBe(0);
    for (const name of ['child_process', 'tty', 'worker_threads', 'fs/promises']) expect(r.modules).not.toContain(`NativeModule ${name}`);
  });
});
