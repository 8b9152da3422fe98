/**
 * Issue #24: hostile plugins, through the real binary and bubblewrap. At
 * discovery and validation: an entry outside its package (by `..` and by a
 * symlink), a schema that is not JSON Schema, one that is not JSON, a 50 MB
 * one: each a clear error naming the package, before anything runs. At run
 * time: a stage that forks a daemon, fills /tmp and /dev/shm, loops forever
 * (`--stage-timeout`), or treats /dev as scratch space: each is contained,
 * and afterwards the host has no process, mount, loop device or file of it
 * (the fixtures name what they make with a random marker, so the checks hold
 * while other builds run on the machine). Fixtures:
 * test/fixtures/hostile/<name>, small packages outside the workspace.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, repoRoot } from './project.js';
import { bin } from './run-cli.js';

const hostile = join(import.meta.dirname, 'fixtures', 'hostile');
const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const marker = `${Math.floor(Math.random() * 1e6) + 2_000_000}`;

function manifest(type: string, options: Record<string, unknown> = {}): string {
  const file = join(temp('osbuild-hostile-manifest-'), 'manifest.json');
  writeFileSync(file, JSON.stringify({ version: '2', pipelines: [{ name: 'tree', stages: [{ type, options }] }] }));
  return file;
}

async function osbuild(args: string[], env: Record<string, string> = {}) {
  const r = await execa(process.execPath, [bin, ...args], { cwd: repoRoot, reject: false, env: { OSBUILD_DEBUG: '', ...env } });
  return { status: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A project whose node_modules holds only these packages (discovery refuses a project with a broken one). */
function projectWith(...dirs: string[]): string {
  const project = temp('osbuild-hostile-project-');
  mkdirSync(join(project, 'node_modules', '@osbuild-ts-hostile'), { recursive: true });
  for (const dir of dirs) symlinkSync(dir, join(project, 'node_modules', '@osbuild-ts-hostile', dir.split('/').at(-1)!));
  return project;
}

/** What of the host a stage could leave behind: processes, mounts and loop devices mentioning `text`, files named with the marker. */
function traces(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(text) || cmdline.includes(marker) || cmdline.includes(hostile)) found.push(`process ${pid}: ${cmdline.slice(0, 100)}`);
    } catch {
      // gone
    }
  }
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) if (line.includes(text)) found.push(`mount ${line}`);
  for (const line of execFileSync('losetup', ['--list', '--noheadings', '--output', 'NAME,BACK-FILE'], { encoding: 'utf8' }).split('\n')) {
    if (line.includes(text)) found.push(`loop ${line}`);
  }
  for (const dir of ['/tmp', '/dev', '/dev/shm', '/run', '/var/tmp']) {
    for (const name of readdirSync(dir)) if (name.includes(marker)) found.push(`file ${dir}/${name}`);
  }
  return found;
}

/** The host's /dev, names and types, but for loop devices (other builds on the machine make and free them). */
function devListing(): string {
  return execFileSync('sh', ['-c', 'find /dev -xdev -printf "%p %y\\n" | grep -v -E "^/dev/(loop|block/7:|disk/)" | sort'], { encoding: 'utf8' });
}

describe('hostile plugins: refused before anything runs, naming the package', () => {
  const cases: [string, RegExp][] = [
    ['entry-dotdot', /@osbuild-ts-hostile\/entry-dotdot@1\.0\.0 .*"osbuild\.entry" \(\.\.\/outside\.js\) points outside the package/],
    ['entry-symlink', /@osbuild-ts-hostile\/entry-symlink@1\.0\.0 .*"osbuild\.entry" \(\.\/main\.js\) is a symlink to .*\/hostile\/outside\.js, outside the package/],
    ['schema-not-json', /@osbuild-ts-hostile\/schema-not-json@1\.0\.0: schema file .*schema\.json is not valid JSON/],
    ['schema-not-json-schema', /@osbuild-ts-hostile\/schema-not-json-schema@1\.0\.0: its schema file .*schema\.json does not compile: .*(type|properties)/],
  ];
  for (const [name, message] of cases) {
    it(name, async () => {
      const project = projectWith(join(hostile, name));
      const store = temp('osbuild-hostile-store-');
      const r = await osbuild(['--libdir', project, '--store', store, '--output-directory', join(store, 'out'), '--export', 'tree', manifest(`org.hostile.${name.replaceAll('-', '')}`)]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(store, 'out'))).toBe(false);
      expect(traces(store)).toEqual([]);
    });
  }

  it('schema-huge: a 50 MB schema is refused by its size, at once', async () => {
    const copy = join(temp('osbuild-hostile-huge-'), 'schema-huge');
    cpSync(join(hostile, 'schema-huge'), copy, { recursive: true });
    // Valid JSON and valid JSON Schema, 50 MB of it: a description padded out.
    const schema = join(copy, 'schema.json');
    writeFileSync(schema, `{ "options": { "type": "object", "description": "${'x'.repeat(50 * 2 ** 20)}" } }`);
    const project = projectWith(copy);
    const store = temp('osbuild-hostile-store-');
    const r = await osbuild(['--libdir', project, '--store', store, '--output-directory', join(store, 'out'), '--export', 'tree', manifest('org.hostile.schemahuge')]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`@osbuild-ts-hostile/schema-huge@1.0.0: its schema file ${schema} is 50.0 MiB; a schema may be at most 4 MiB`);
    truncateSync(schema, 0);
  });
});

describe('hostile plugins at run time: contained, and the host left as it was', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject();
    mkdirSync(join(project, 'node_modules', '@osbuild-ts-hostile'), { recursive: true });
    for (const name of ['daemon', 'fill-tmp', 'loop', 'dev-writer']) symlinkSync(join(hostile, name), join(project, 'node_modules', '@osbuild-ts-hostile', name));
  });
  const build = (store: string, file: string, extra: string[] = [], env: Record<string, string> = {}) =>
    osbuild(['--libdir', project, '--store', store, '--output-directory', join(store, 'out'), '--export', 'tree', ...extra, file], env);

  it('a daemon it forks does not outlive the stage', async () => {
    const store = temp('osbuild-hostile-store-');
    const r = await build(store, manifest('org.hostile.daemon', { marker }));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(new RegExp(`started daemon pid \\d+: sleep ${marker}`));
    expect(traces(store)).toEqual([]);
  });

  it('filling /tmp and /dev/shm ends in ENOSPC inside the sandbox (capped by OSBUILD_TS_SANDBOX_TMPFS_SIZE); nothing reaches the host', async () => {
    const store = temp('osbuild-hostile-store-');
    const tmpBefore = readdirSync('/tmp').filter((n) => n.includes(marker));
    const r = await build(store, manifest('org.hostile.filltmp', { marker }), [], { OSBUILD_TS_SANDBOX_TMPFS_SIZE: '32M' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('/tmp: full after 32 MiB (ENOSPC)');
    expect(r.stdout + r.stderr).toContain('/dev/shm: full after 32 MiB (ENOSPC)');
    expect(tmpBefore).toEqual([]);
    expect(traces(store)).toEqual([]);
    const bad = await build(temp('osbuild-hostile-store-'), manifest('org.hostile.filltmp', { marker }), [], { OSBUILD_TS_SANDBOX_TMPFS_SIZE: 'lots' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('OSBUILD_TS_SANDBOX_TMPFS_SIZE="lots": expected a size in bytes, optionally with K, M or G (e.g. 512M)');
  });

  it('a stage that loops forever is stopped by --stage-timeout, naming it; nothing is left', async () => {
    const store = temp('osbuild-hostile-store-');
    const r = await build(store, manifest('org.hostile.loop'), ['--stage-timeout', '3']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/org\.hostile\.loop/);
    expect(r.stderr).toMatch(/timed out|timeout|3 s/i);
    expect(traces(store)).toEqual([]);
  });

  it('writing into /dev stays in the sandbox: the host /dev is unchanged', async () => {
    const before = devListing();
    const store = temp('osbuild-hostile-store-');
    const r = await build(store, manifest('org.hostile.devwriter', { marker }));
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain(`write /dev/hostile-${marker}: done`);
    expect(out).toContain('write /dev/full: ENOSPC');
    expect(out).toMatch(/remove \/dev\/null: (EBUSY|EPERM|EACCES)/);
    expect(devListing()).toBe(before);
    expect(traces(store)).toEqual([]);
    // Nor is any of it in the tree the build exported.
    expect(readdirSync(join(store, 'out', 'tree'))).toEqual([]);
  });
});
