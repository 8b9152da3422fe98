import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { bin } from './run-cli.js';
import { repoRoot } from './project.js';

// bin/code-cache.js: the start-up bundle compiled with V8's code cache.
// Each case runs the real binary in a fresh Node, with its own cache
// directory (XDG_CACHE_HOME), and checks what a user sees is unchanged.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'osbuild-code-cache-'));
  dirs.push(dir);
  return dir;
};

const manifest = JSON.stringify({ version: '2', pipelines: [{ name: 'tree', stages: [{ type: 'org.osbuild.mkdir', options: { paths: [{ path: '/a' }] } }] }] });

async function inspect(env: Record<string, string>) {
  const result = await execa(process.execPath, [bin, '--libdir', repoRoot, '--inspect', '-'], {
    input: manifest,
    reject: false,
    env: { OSBUILD_DEBUG: '', ...env },
  });
  return { status: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

const cacheFiles = (home: string) => readdirSync(join(home, 'osbuild-ts', 'code')).filter((n) => n.endsWith('.v8'));

/** The loader's own report (which the binary does not print): run it in a Node of its own. */
async function loadReport(cacheDir: string | null, kind?: string, nodeFlags: string[] = []): Promise<string> {
  const loader = join(repoRoot, 'packages', 'cli', 'bin', 'code-cache.js');
  const bundle = join(repoRoot, 'packages', 'cli', 'dist', 'bundle', 'osbuild.cjs');
  const script = `const r = require(${JSON.stringify(loader)}).loadWithCodeCache(${JSON.stringify(bundle)}, { cacheDir: ${JSON.stringify(cacheDir)}, kind: ${JSON.stringify(kind)} }); console.log(r.cache, typeof r.exports.run);`;
  return (await execa(process.execPath, [...nodeFlags, '-e', script])).stdout;
}

describe('the code cache of the start-up bundle', () => {
  it('is written by the first run, used by the next, and changes nothing a user sees', async () => {
    const home = fresh();
    const plain = await inspect({ OSBUILD_TS_CODE_CACHE: '0', XDG_CACHE_HOME: home });
    const first = await inspect({ XDG_CACHE_HOME: home });
    const second = await inspect({ XDG_CACHE_HOME: home });
    expect(plain.status).toBe(0);
    expect(first).toEqual(plain);
    expect(second).toEqual(plain);
    const files = cacheFiles(home);
    expect(files).toHaveLength(1);
    expect(statSync(join(home, 'osbuild-ts', 'code')).mode & 0o777).toBe(0o700);
    expect(await loadReport(join(home, 'osbuild-ts', 'code'))).toBe('used function');
  });

  it('is extended once by the first run of another kind: a cache written by --inspect then serves builds too', async () => {
    const home = fresh();
    const dir = join(home, 'osbuild-ts', 'code');
    await inspect({ XDG_CACHE_HOME: home });
    const [name] = cacheFiles(home);
    const kinds = join(dir, name!.replace(/\.v8$/, '.kinds'));
    expect(readFileSync(kinds, 'utf8')).toBe('inspect\n');
    expect(await loadReport(dir, 'inspect')).toBe('used function');
    // A run of another kind uses the cache, and rewrites it at exit with what it compiled besides.
    expect(await loadReport(dir, 'build')).toBe('extended function');
    expect(readFileSync(kinds, 'utf8')).toBe('inspect\nbuild\n');
    expect(cacheFiles(home)).toEqual([name]);
    expect(await loadReport(dir, 'build')).toBe('used function');
    expect(await loadReport(dir, 'inspect')).toBe('used function');
    // What a user sees is unchanged by the extended cache.
    const plain = await inspect({ OSBUILD_TS_CODE_CACHE: '0', XDG_CACHE_HOME: home });
    expect(await inspect({ XDG_CACHE_HOME: home })).toEqual(plain);
  });

  it('ignores a damaged cache file (it is never given to V8) and writes a good one', async () => {
    const home = fresh();
    await inspect({ XDG_CACHE_HOME: home });
    const [name] = cacheFiles(home);
    const file = join(home, 'osbuild-ts', 'code', name!);
    const data = readFileSync(file);
    data[data.length - 100] = (data[data.length - 100] ?? 0) ^ 0xff; // one flipped byte in the payload
    writeFileSync(file, data);
    expect(await loadReport(join(home, 'osbuild-ts', 'code'))).toBe('written function');
    writeFileSync(file, 'garbage');
    const run = await inspect({ XDG_CACHE_HOME: home });
    expect(run.status).toBe(0);
    expect(readFileSync(file).length).toBeGreaterThan(1000); // rewritten at exit
    expect(await loadReport(join(home, 'osbuild-ts', 'code'))).toBe('used function');
  });

  it('rewrites a cache that V8 refuses (made for other code), with a valid digest', async () => {
    const home = fresh();
    await inspect({ XDG_CACHE_HOME: home });
    const [name] = cacheFiles(home);
    const file = join(home, 'osbuild-ts', 'code', name!);
    // A well-formed file whose payload is V8's cache for another script.
    const other = `const { createHash } = require('node:crypto'); const vm = require('node:vm');
      const payload = new vm.Script('1 + 1').createCachedData();
      require('node:fs').writeFileSync(${JSON.stringify(file)}, Buffer.concat([createHash('sha256').update(payload).digest(), payload]));`;
    await execa(process.execPath, ['-e', other]);
    expect(await loadReport(join(home, 'osbuild-ts', 'code'))).toBe('rejected function');
    expect((await inspect({ XDG_CACHE_HOME: home })).status).toBe(0);
    expect(await loadReport(join(home, 'osbuild-ts', 'code'))).toBe('used function');
  });

  it('runs uncached when the cache directory cannot be written or is not private', async () => {
    // Not writable even for root: the cache home's parent is a file.
    const file = join(fresh(), 'a-file');
    writeFileSync(file, '');
    const readOnly = await inspect({ XDG_CACHE_HOME: join(file, 'cache') });
    expect(readOnly.status).toBe(0);
    expect(readOnly.stderr).toBe('');

    const shared = fresh();
    await inspect({ XDG_CACHE_HOME: shared });
    chmodSync(join(shared, 'osbuild-ts', 'code'), 0o777); // others could plant code there
    const before = cacheFiles(shared);
    const run = await inspect({ XDG_CACHE_HOME: shared });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(cacheFiles(shared)).toEqual(before);
    const report = (await execa(process.execPath, ['-e', `console.log(require(${JSON.stringify(join(repoRoot, 'packages', 'cli', 'bin', 'code-cache.js'))}).codeCacheDir({ XDG_CACHE_HOME: ${JSON.stringify(shared)} }))`])).stdout;
    expect(report).toBe('null');
  });

  it('keeps one cache per bundle: an older build of it is removed', async () => {
    const home = fresh();
    const code = join(home, 'osbuild-ts', 'code');
    await inspect({ XDG_CACHE_HOME: home });
    const [name] = cacheFiles(home);
    const stale = `${name!.split('-')[0]}-${'0'.repeat(40)}.v8`;
    writeFileSync(join(code, stale), 'an older build');
    writeFileSync(join(code, 'unrelated.v8'), 'another program');
    rmSync(join(code, name!));
    await inspect({ XDG_CACHE_HOME: home });
    expect(cacheFiles(home).sort()).toEqual([name!, 'unrelated.v8'].sort());
  });

  it('keeps a cache per set of Node flags: V8 refuses a cache made under others, so the two would rewrite each other', async () => {
    const code = fresh();
    const flagged = ['--max-semi-space-size=1'];
    expect(await loadReport(code, 'build')).toBe('written function');
    expect(await loadReport(code, 'build', flagged)).toBe('written function');
    expect(await loadReport(code, 'build')).toBe('used function');
    expect(await loadReport(code, 'build', flagged)).toBe('used function');
    expect(readdirSync(code).filter((n) => n.endsWith('.v8'))).toHaveLength(2);
  });

  it("runs as the installed command with its #! line's Node flags (env -S), the way npm's link and pnpm's shim start it", async () => {
    const dir = fresh();
    const preload = join(dir, 'report.cjs');
    writeFileSync(preload, `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'argv.json'))}, JSON.stringify(process.execArgv));`);
    const result = await execa(bin, ['--libdir', repoRoot, '--inspect', '-'], { input: manifest, reject: false, env: { OSBUILD_DEBUG: '', XDG_CACHE_HOME: dir, NODE_OPTIONS: `--require=${preload}` } });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'argv.json'), 'utf8'))).toContain('--max-semi-space-size=1');
  });

  it('still imports what the bundle leaves out, from cached code too (import() through the loader)', async () => {
    // A build imports node:tty before it looks at --monitor; from code restored from a cache, import() needs the loader's.
    const home = fresh();
    const out = fresh();
    for (const round of ['uncached', 'cached']) {
      const result = await execa(process.execPath, [bin, '--libdir', repoRoot, '--monitor', 'Nope', '--store', join(out, 'store'), '--export', 'tree', '--output-directory', join(out, 'out'), '-'], {
        input: manifest,
        reject: false,
        env: { OSBUILD_DEBUG: '', XDG_CACHE_HOME: home },
      });
      expect({ round, status: result.exitCode, stderr: result.stderr }).toEqual({ round, status: 2, stderr: expect.stringContaining('unknown monitor: Nope') });
    }
    expect(cacheFiles(home)).toHaveLength(1);
  });
});
