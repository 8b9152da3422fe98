/**
 * Issue #23: builds sharing one store never hang and build each object once;
 * a damaged store is detected, reported and rebuilt (never exported as it
 * is); SIGTERM stops a build cleanly. Real binary, real bubblewrap.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, repoRoot } from './project.js';
import { bin, osbuild } from './run-cli.js';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const mkdir = (path: string) => ({ type: 'org.osbuild.mkdir', options: { paths: [{ path }] } });
const shell = (script: string) => ({ type: 'org.test.shell', options: { script } });
const v2 = (stages: unknown[]) => ({ version: '2', pipelines: [{ name: 'tree', stages }] });

function manifestFile(doc: unknown): string {
  const file = join(temp('osbuild-manifest-'), 'manifest.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

interface StageEntry {
  id: string;
  cached: boolean;
  reason?: string;
}

function stagesOf(stdout: string): StageEntry[] {
  return (JSON.parse(stdout) as { 'osbuild-ts': { stages: StageEntry[] } })['osbuild-ts'].stages;
}

/** Files, types and contents of an exported tree, for comparing exports. */
function treeListing(dir: string): string {
  return execFileSync('sh', ['-c', 'cd "$1" && find . -printf "%p %y %m %s\\n" | sort && find . -type f -exec sha256sum {} + | sort', 'sh', dir], { encoding: 'utf8' });
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point.startsWith(dir));
}

/** Processes whose command line mentions `text` (sandboxes name their slot dirs under the store). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ').slice(0, 120)}`);
    } catch {
      // gone
    }
  }
  return found;
}

function loopsUnder(dir: string): string[] {
  const text = execFileSync('losetup', ['--list', '--noheadings', '--output', 'BACK-FILE'], { encoding: 'utf8' });
  return text.split('\n').filter((line) => line.trim().startsWith(dir));
}

function expectNothingLeft(store: string) {
  expect(mountsUnder(store)).toEqual([]);
  expect(processesMentioning(store)).toEqual([]);
  expect(loopsUnder(store)).toEqual([]);
}

/** objects/<key> of the stage with this object id. */
function objectOf(store: string, id: string): string {
  for (const key of readdirSync(join(store, 'objects'))) {
    try {
      const info = JSON.parse(readFileSync(join(store, 'objects', key, 'object.info'), 'utf8')) as { id: string };
      if (info.id === id) return join(store, 'objects', key);
    } catch {
      // not an object
    }
  }
  throw new Error(`no object for ${id} in ${store}`);
}

let project: string;
beforeAll(() => {
  project = makeProject();
  const link = join(project, 'node_modules', '@osbuild-ts-fixtures', 'stage-shell');
  mkdirSync(join(project, 'node_modules', '@osbuild-ts-fixtures'), { recursive: true });
  symlinkSync(join(repoRoot, 'packages', 'engine', 'test', 'fixtures', 'stage-shell'), link);
});

const build = (store: string, out: string, file: string) =>
  osbuild(['--libdir', project, '--store', store, '--output-directory', out, '--export', 'tree', '--json', file]);

describe('builds sharing one store', () => {
  it('6 concurrent builds × 5 rounds of one 40-stage manifest all finish, build each object once, export the same tree', async () => {
    const file = manifestFile(v2(Array.from({ length: 40 }, (_, i) => mkdir(`/d${i}`))));
    for (let round = 0; round < 5; round++) {
      const store = temp('osbuild-shared-');
      const outs = Array.from({ length: 6 }, (_, i) => join(store, `out${i}`));
      const results = await Promise.all(outs.map((out) => build(store, out, file)));
      for (const r of results) expect(r.status, r.stderr).toBe(0);
      const built = new Map<string, number>();
      for (const r of results) for (const s of stagesOf(r.stdout)) if (!s.cached) built.set(s.id, (built.get(s.id) ?? 0) + 1);
      expect(built.size).toBe(40);
      expect([...built.values()].every((n) => n === 1)).toBe(true);
      const listings = outs.map((out) => treeListing(join(out, 'tree')));
      expect(new Set(listings).size).toBe(1);
      expectNothingLeft(store);
      rmSync(store, { recursive: true, force: true });
    }
  }, 900_000);

  it('4 builds of overlapping manifests at once build every distinct object once', async () => {
    const store = temp('osbuild-shared-');
    const d = (n: number, prefix = 'd') => Array.from({ length: n }, (_, i) => mkdir(`/${prefix}${i}`));
    const docs = [v2(d(20)), v2(d(30)), v2([...d(10), ...d(10, 'e')]), v2(d(40))];
    const results = await Promise.all(docs.map((doc, i) => build(store, join(store, `out${i}`), manifestFile(doc))));
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    const all = new Set<string>();
    const built = new Map<string, number>();
    for (const r of results) {
      for (const s of stagesOf(r.stdout)) {
        all.add(s.id);
        if (!s.cached) built.set(s.id, (built.get(s.id) ?? 0) + 1);
      }
    }
    expect(all.size).toBe(50); // d0..d39 and e0..e9 after d0..d9
    expect(built.size).toBe(50);
    expect([...built.values()].every((n) => n === 1)).toBe(true);
    expectNothingLeft(store);
    rmSync(store, { recursive: true, force: true });
  }, 600_000);
});

describe('a damaged store', () => {
  // Stage 1 makes dirs and files, 2 a tar archive, 3 a copy of a file, 4 a file with content, 5 a last dir.
  const doc = v2([
    shell('mkdir -p etc/dir/sub usr && echo one > etc/dir/a && echo two > etc/dir/sub/b'),
    shell('tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf archive.tar etc'),
    shell('cp etc/dir/a copied'),
    shell('printf "hello world\\n" > usr/data'),
    mkdir('/last'),
  ]);

  it('is detected on use, reported, dropped and rebuilt: the export is always the right tree; store verify reports it', async () => {
    const file = manifestFile(doc);
    const store = temp('osbuild-damage-');
    const first = await build(store, join(store, 'ref'), file);
    expect(first.status, first.stderr).toBe(0);
    const ids = stagesOf(first.stdout).map((s) => s.id);
    const reference = treeListing(join(store, 'ref', 'tree'));
    const layer = (stage: number) => join(objectOf(store, ids[stage - 1]!), 'layer');

    const damages: [string, number, () => void, RegExp][] = [
      ['a directory deleted from a layer', 1, () => rmSync(join(layer(1), 'etc', 'dir', 'sub'), { recursive: true }), /changed on disk since it was committed/],
      ['a file added to a layer', 3, () => writeFileSync(join(layer(3), 'intruder'), 'x'), /intruder: added/],
      ['the archive in the tar stage truncated', 2, () => truncateSync(join(layer(2), 'archive.tar'), 100), /archive\.tar: size/],
      ['a file deleted from the copy stage', 3, () => unlinkSync(join(layer(3), 'copied')), /copied: removed/],
      [
        'a byte flipped in a file',
        4,
        () => {
          const fd = openSync(join(layer(4), 'usr', 'data'), 'r+');
          writeSync(fd, 'j', 0);
          closeSync(fd);
        },
        /changed on disk since it was committed/,
      ],
      ['object.info truncated mid-chain', 2, () => truncateSync(join(objectOf(store, ids[1]!), 'object.info'), 10), /missing or its object\.info is unreadable/],
      ['object.info garbled', 3, () => writeFileSync(join(objectOf(store, ids[2]!), 'object.info'), '{garbage'), /missing or its object\.info is unreadable/],
      ['object.info deleted', 4, () => unlinkSync(join(objectOf(store, ids[3]!), 'object.info')), /missing or its object\.info is unreadable/],
      ['a layer directory removed', 1, () => rmSync(layer(1), { recursive: true }), /layer directory is gone/],
    ];
    for (const [what, stage, damage, expected] of damages) {
      const key = objectOf(store, ids[stage - 1]!).split('/').at(-1)!;
      damage();
      const verify = await osbuild(['store', 'verify', '--store', store]);
      expect(verify.status, what).toBe(1);
      expect(verify.stdout, what).toContain(key);
      const out = join(store, 'out');
      const r = await build(store, out, file);
      expect(r.status, `${what}: ${r.stderr}`).toBe(0);
      const stages = stagesOf(r.stdout);
      expect(stages[stage - 1]!.cached, what).toBe(false);
      expect(stages[stage - 1]!.reason, what).toMatch(expected);
      expect(stages.slice(stage).every((s) => !s.cached), what).toBe(true);
      expect(treeListing(join(out, 'tree')), what).toBe(reference);
      const after = await osbuild(['store', 'verify', '--store', store]);
      expect(after.status, `${what}: ${after.stdout}`).toBe(0);
    }
    expectNothingLeft(store);
    rmSync(store, { recursive: true, force: true });
  }, 600_000);

  it('store verify --repair drops what is damaged and what stacks on it; the next build rebuilds only that', async () => {
    const file = manifestFile(doc);
    const store = temp('osbuild-damage-');
    const first = await build(store, join(store, 'ref'), file);
    expect(first.status, first.stderr).toBe(0);
    const ids = stagesOf(first.stdout).map((s) => s.id);
    const data = join(objectOf(store, ids[3]!), 'layer', 'usr', 'data');
    const fd = openSync(data, 'r+');
    writeSync(fd, 'J', 0);
    closeSync(fd);
    const verify = await osbuild(['store', 'verify', '--store', store, '--json']);
    expect(verify.status).toBe(1);
    const report = JSON.parse(verify.stdout) as { objects: number; problems: { id: string; status: string; problems: string[] }[] };
    expect(report.objects).toBe(5);
    expect(report.problems.map((p) => [p.id, p.status])).toEqual([
      [ids[3], 'damaged'],
      [ids[4], 'broken'],
    ]);
    expect(report.problems[0]!.problems.join(' ')).toMatch(/\/usr\/data: (content changed|mtime)/);
    const repair = await osbuild(['store', 'verify', '--store', store, '--repair']);
    expect(repair.status, repair.stdout).toBe(0);
    const r = await build(store, join(store, 'out'), file);
    expect(r.status, r.stderr).toBe(0);
    expect(stagesOf(r.stdout).map((s) => s.cached)).toEqual([true, true, true, false, false]);
    expect(treeListing(join(store, 'out', 'tree'))).toBe(treeListing(join(store, 'ref', 'tree')));
    rmSync(store, { recursive: true, force: true });
  }, 300_000);
});

describe('signals', () => {
  it('SIGTERM mid-stage stops the build cleanly: message, --json document, exit 143, nothing left, committed stages reused', async () => {
    const store = temp('osbuild-signal-');
    const marker = `${Math.floor(Math.random() * 1e6) + 1_000_000}`;
    const file = manifestFile(v2([mkdir('/a'), shell(`touch started; sleep ${marker} & sleep ${marker}`)]));
    const child = spawn(process.execPath, [bin, '--libdir', project, '--store', store, '--output-directory', join(store, 'out'), '--export', 'tree', '--json', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Wait until the stage is really running (its sleeps exist).
    for (let i = 0; i < 600 && processesMentioning(`sleep ${marker}`).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(processesMentioning(`sleep ${marker}`).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toMatch(/interrupted by SIGTERM; stopped pipeline tree, stage 2 \(org\.test\.shell\)/);
    const doc = JSON.parse(stdout) as { success: boolean };
    expect(doc.success).toBe(false);
    expectNothingLeft(store);
    expect(processesMentioning(`sleep ${marker}`)).toEqual([]);
    // The committed first stage is reused; the interrupted one was not committed.
    const again = await build(store, join(store, 'out'), manifestFile(v2([mkdir('/a'), shell('true')])));
    expect(again.status, again.stderr).toBe(0);
    expect(stagesOf(again.stdout).map((s) => s.cached)).toEqual([true, false]);
    rmSync(store, { recursive: true, force: true });
  }, 300_000);

  it('SIGTERM while a source downloads stops the download at once: exit 143, no source process left', async () => {
    const store = temp('osbuild-signal-source-');
    // Headers, then one byte a second: the download would take an hour.
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '3600' });
      const drip = setInterval(() => res.write('x'), 1000);
      res.on('close', () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/slow-${Math.floor(Math.random() * 1e9)}`;
    const file = manifestFile({ ...v2([mkdir('/a')]), sources: { 'org.osbuild.curl': { items: { [`sha256:${'0'.repeat(64)}`]: url } } } });
    const child = spawn(process.execPath, [bin, '--libdir', project, '--store', store, '--json', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let connected = false;
    server.on('request', () => (connected = true));
    for (let i = 0; i < 600 && !connected; i++) await new Promise((r) => setTimeout(r, 100));
    expect(connected).toBe(true);
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(Date.now() - signalled).toBeLessThan(30_000);
    expect(stderr).toMatch(/interrupted by SIGTERM/);
    expectNothingLeft(store);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(store, { recursive: true, force: true });
  }, 300_000);
});

describe('a full file system', () => {
  const tmpfs = (size: string) => {
    const dir = temp('osbuild-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'osbuild-test-full', dir]);
    return {
      dir,
      remove: () => {
        execFileSync('umount', ['--lazy', dir]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  const big = v2([shell('head -c 6M /dev/urandom > big')]);

  it('as the output directory: the export names it and what was being written', async () => {
    const store = temp('osbuild-store-');
    const out = tmpfs('2m');
    try {
      const r = await osbuild(['--libdir', project, '--store', store, '--output-directory', out.dir, '--export', 'tree', manifestFile(big)]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`no space left on the file system ${out.dir} \\(tmpfs, 2\\.0 MiB, .* free\\) while exporting object [0-9a-f]+`));
      // Issue #24: the partial copy does not stay behind looking like an export.
      expect(r.stderr).toContain(`the partial export ${join(out.dir, 'tree')} was removed`);
      expect(readdirSync(out.dir)).toEqual([]);
      expectNothingLeft(store);
    } finally {
      out.remove();
      rmSync(store, { recursive: true, force: true });
    }
  }, 120_000);

  it('as the store: the failed stage says the store is full, not just what the tool printed', async () => {
    const store = tmpfs('3m');
    try {
      const r = await osbuild(['--libdir', project, '--store', store.dir, '--output-directory', join(store.dir, 'o'), '--export', 'tree', manifestFile(big)]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`no space left: the file system of the store, ${store.dir} \\(tmpfs, 3\\.0 MiB`));
      expect(mountsUnder(`${store.dir}/`)).toEqual([]);
      expect(processesMentioning(store.dir)).toEqual([]);
    } finally {
      store.remove();
    }
  }, 120_000);

  it('as a small loop-mounted store, full during a commit: named; nothing half-committed; store verify passes; the next build reuses what was committed', async () => {
    const base = temp('osbuild-full-store-');
    const image = join(base, 'store.img');
    const store = join(base, 'store');
    mkdirSync(store);
    execFileSync('truncate', ['-s', '64M', image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    execFileSync('mount', ['-o', 'loop', image, store]);
    try {
      const first = [mkdir('/a'), shell('echo kept > kept')];
      // Many small files (a long seal manifest to write at commit), then the rest of the disk, down to
      // its last blocks (ext4 hands back a file's preallocation when it is closed: small files take that).
      // Not zeros: the commit turns zero blocks into holes, which would give the space back.
      const filling = shell('mkdir many && for i in $(seq 300); do echo $i > many/$i; done; yes > filler 2>/dev/null || true; i=0; while echo x > pad$i 2>/dev/null; do i=$((i+1)); done');
      const r = await osbuild(['--libdir', project, '--store', store, '--output-directory', join(base, 'out'), '--export', 'tree', '--json', manifestFile(v2([...first, filling]))]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`no space left on the file system ${store} \\(ext4, .*\\) while committing the object of [0-9a-f]+`));
      const stages = stagesOf(r.stdout);
      expect(stages.slice(0, 2).map((s) => s.cached)).toEqual([false, false]);
      expect(mountsUnder(`${store}/`)).toEqual([]);
      expect(processesMentioning(store)).toEqual([]);
      // The failed layer is gone with its space; the two committed objects are whole.
      expect(readdirSync(join(store, 'objects'))).toHaveLength(2);
      const verify = await osbuild(['store', 'verify', '--store', store]);
      expect(verify.status, verify.stdout).toBe(0);
      expect(verify.stdout).toContain('2 objects checked: 2 intact, 0 with problems');
      const again = await osbuild(['--libdir', project, '--store', store, '--output-directory', join(base, 'out'), '--export', 'tree', '--json', manifestFile(v2([...first, shell('echo small > small')]))]);
      expect(again.status, again.stderr).toBe(0);
      expect(stagesOf(again.stdout).map((s) => s.cached)).toEqual([true, true, false]);
      expect(readFileSync(join(base, 'out', 'tree', 'kept'), 'utf8')).toBe('kept\n');
    } finally {
      execFileSync('umount', [store]);
      rmSync(base, { recursive: true, force: true });
    }
    expect(loopsUnder(base)).toEqual([]);
  }, 180_000);
});

describe('eviction', () => {
  it('two builds evicting from one bounded store at once both succeed; store verify passes; the next build reuses exactly what was kept', async () => {
    const store = temp('osbuild-evict-');
    const chain = (prefix: string) => v2(Array.from({ length: 8 }, (_, i) => shell(`head -c 1000000 /dev/urandom > ${prefix}${i}`)));
    const files = [manifestFile(chain('a')), manifestFile(chain('b'))];
    const run = (file: string, out: string) =>
      osbuild(['--libdir', project, '--store', store, '--cache-max-size', '5000000', '--output-directory', join(store, out), '--export', 'tree', '--json', file]);
    const [a, b] = await Promise.all([run(files[0]!, 'outa'), run(files[1]!, 'outb')]);
    for (const r of [a, b]) expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(store, 'outa', 'tree')).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `a${i}`));
    expect(readdirSync(join(store, 'outb', 'tree')).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `b${i}`));
    expectNothingLeft(store);
    const verify = await osbuild(['store', 'verify', '--store', store]);
    expect(verify.status, verify.stdout).toBe(0);
    // What is left is within the bound and, per chain, a prefix (a layer never goes before what stacks on it).
    const kept = new Set(readdirSync(join(store, 'objects')).flatMap((key) => {
      try {
        return [(JSON.parse(readFileSync(join(store, 'objects', key, 'object.info'), 'utf8')) as { id: string }).id];
      } catch {
        return [];
      }
    }));
    expect(kept.size).toBeGreaterThan(0);
    expect(kept.size).toBeLessThanOrEqual(5);
    const again = await run(files[0]!, 'outa2');
    expect(again.status, again.stderr).toBe(0);
    const stages = stagesOf(again.stdout);
    const keptOfA = stagesOf(a.stdout).filter((s) => kept.has(s.id)).length;
    expect(stages.map((s) => s.cached)).toEqual(stages.map((_, i) => i < keptOfA));
    rmSync(store, { recursive: true, force: true });
  }, 300_000);
});

