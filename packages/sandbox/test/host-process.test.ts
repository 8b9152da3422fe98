import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuildSandbox } from '../src/prewarm.js';
import { sweepSandboxes } from '../src/sweep.js';
import { PROBE, mountLinesUnder, processesWith, reports, tempDir, uniqueSleep } from './helpers.js';

/**
 * These tests need a second host process that uses the package and then
 * misbehaves, so the package is compiled (to a temp dir) for it to import.
 */
let out = '';
let compiled = '';
const packageDir = fileURLToPath(new URL('..', import.meta.url));

beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'osbuild-ts-sandbox-compiled-'));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await execa(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: packageDir });
  compiled = path.join(out, 'index.js');
}, 60_000);

afterAll(() => rm(out, { recursive: true, force: true }));

/** Run `body` (an ES module body with `sandbox` = the package) in a child Node; resolve with its output and exit. */
async function child(body: string, options: { extraFd?: boolean; until?: string; kill?: NodeJS.Signals } = {}) {
  const dir = await tempDir();
  const script = path.join(dir, 'child.mjs');
  await writeFile(script, `import * as sandbox from ${JSON.stringify(compiled)};\n${body}`);
  const stdio: ('pipe' | 'ignore')[] = ['ignore', 'pipe', 'pipe', 'ignore', 'ignore'];
  // fd 40 in the child, without close-on-exec. Not a low number: Node marks
  // the descriptors it inherits close-on-exec at start, up to the first gap
  // after fd 15, so fd 5 would never reach a stage anyway.
  if (options.extraFd) stdio.push(...Array<'ignore'>(35).fill('ignore'), 'pipe');
  const proc = spawn(process.execPath, [script], { stdio });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (options.until && out.includes(options.until) && options.kill) proc.kill(options.kill);
  });
  proc.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => proc.on('close', (c, s) => resolve([c, s])));
  return { out, err, code, signal };
}

describe('the host process', () => {
  it("leaks no inherited descriptor into a stage", async () => {
    const { out, err, code } = await child(
      `import { readlinkSync } from 'node:fs';
const lines = [];
const result = await sandbox.runInSandbox({ ...${JSON.stringify(PROBE)}, tree: ${JSON.stringify(await tempDir())},
  arguments: { options: { actions: [{ do: 'fds' }] } }, onOutput: (line) => lines.push(line) });
console.log('leaked ' + JSON.stringify(readlinkSync('/proc/self/fd/40')));
console.log(lines.join('\\n'));
console.log('exit ' + result.exitCode);`,
      { extraFd: true },
    );
    expect(code, err).toBe(0);
    const seen = reports(out.split('\n'));
    expect(seen.exit).toBe(0);
    expect(seen.leaked).toMatch(/^socket:|^pipe:/);
    const targets = (seen.fds as [number, string | null][]).map(([, target]) => target);
    expect(targets).not.toContain(seen.leaked);
  });

  it('finds leaked descriptors once and re-checks only those: one closed since is no longer named, one opened by Node never is', async () => {
    const { out, err, code } = await child(
      `import { closeSync, openSync } from 'node:fs';
const { inheritableFds } = await import(${JSON.stringify(path.join(path.dirname(compiled), 'inherited-fds.js'))});
const first = inheritableFds();
const own = openSync('/proc/self/status', 'r');
const again = inheritableFds();
closeSync(40);
console.log(JSON.stringify({ first, again, own: own > 4, afterClose: inheritableFds() }));`,
      { extraFd: true },
    );
    expect(code, err).toBe(0);
    // Whatever else the test runner leaks comes along; fd 40 is the one made here.
    const seen = JSON.parse(out) as { first: number[]; again: number[]; own: boolean; afterClose: number[] };
    expect(seen.first).toContain(40);
    expect(seen).toEqual({ first: seen.first, again: seen.first, own: true, afterClose: seen.first.filter((fd) => fd !== 40) });
  });

  it('exiting without close(): the exit hook unmounts and deletes; the sandboxes die with it', async () => {
    const buildDir = await tempDir();
    const marker = uniqueSleep();
    const { code, err } = await child(
      `const build = await sandbox.createBuildSandbox({ buildDir: ${JSON.stringify(buildDir)} });
const waiting = build.prewarm({ ...${JSON.stringify(PROBE)}, tree: ${JSON.stringify(await tempDir())} });
const running = build.prewarm(${JSON.stringify(PROBE)});
await Promise.all([waiting.ready, running.ready]);
running.start({ tree: ${JSON.stringify(await tempDir())}, arguments: { options: { actions: [{ do: 'daemon', seconds: '${marker}' }, { do: 'print', lines: ['go\\n'] }, { do: 'hang' }] } },
  onOutput: (line) => { if (line === 'go') process.exit(7); } });`,
    );
    expect(code, err).toBe(7);
    expect(mountLinesUnder([buildDir])).toEqual([]);
    expect(await readdir(buildDir)).toEqual([]);
    await expect.poll(() => processesWith(marker), { timeout: 2000 }).toEqual([]);
  });

  it('killed with SIGKILL: the sandboxes die with it, and sweepSandboxes() removes what it left', async () => {
    const buildDir = await tempDir();
    const marker = uniqueSleep();
    const { signal } = await child(
      `const build = await sandbox.createBuildSandbox({ buildDir: ${JSON.stringify(buildDir)} });
const runner = build.prewarm(${JSON.stringify(PROBE)});
await runner.ready;
runner.start({ tree: ${JSON.stringify(await tempDir())}, arguments: { options: { actions: [{ do: 'daemon', seconds: '${marker}' }, { do: 'print', lines: ['go\\n'] }, { do: 'hang' }] } },
  onOutput: (line) => { if (line === 'go') console.log('kill me'); } });`,
      { until: 'kill me', kill: 'SIGKILL' },
    );
    expect(signal).toBe('SIGKILL');
    await expect.poll(() => processesWith(marker), { timeout: 2000 }).toEqual([]);
    // No exit hook ran: the build's areas (and the late tree bind) are still mounted.
    expect(mountLinesUnder([buildDir]).length).toBeGreaterThan(0);
    const [left] = await readdir(buildDir);
    // A sweep from a live process leaves its own sandboxes alone…
    const own = await tempDir();
    const mine = await createBuildSandbox({ buildDir: own });
    expect(await sweepSandboxes(own)).toEqual([]);
    await mine.close();
    // …and removes the dead one's.
    expect(await sweepSandboxes(buildDir)).toEqual([path.join(buildDir, left as string)]);
    expect(mountLinesUnder([buildDir])).toEqual([]);
    expect(existsSync(path.join(buildDir, left as string))).toBe(false);
  });
});
