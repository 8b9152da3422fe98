/**
 * Issue #21 against a real registry (Debian's docker-registry, CNCF
 * distribution) started here on 127.0.0.1, and the real CLI: machines are
 * separate stores.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { existsSync, readdirSync, readFileSync, writeFileSync, openSync, readSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, blobFile, keysById, makeProject, mkdir, noise, osbuild, richManifest, shell, stagesOf, storedTags, temp, treeListing, type Run } from './helpers.js';
import { startRegistry, type TestRegistry } from './registry.js';

let registry: TestRegistry;
let project: string;

beforeAll(async () => {
  registry = await startRegistry();
  project = makeProject();
});
afterAll(async () => {
  await registry?.stop();
});

const repo = (name: string) => `${registry.url}/ci/${name}`;

function build(store: string, manifest: string, cache: string | null, extra: string[] = []): Promise<Run> {
  const out = join(store, '..', `${store.split('/').pop()}-out`);
  return osbuild([
    '--libdir', project, '--store', store, '--output-directory', out, '--export', 'tree', '--json',
    ...(cache === null ? [] : ['--remote-cache', cache]), ...extra, manifest,
  ]);
}
const exported = (store: string) => join(store, '..', `${store.split('/').pop()}-out`, 'tree');

async function verifyStore(store: string): Promise<Run> {
  const run = await osbuild(['store', 'verify', '--store', store]);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/0 with problems/);
  return run;
}

function newStore(): string {
  return join(temp('osbuild-remote-machine-'), 'store');
}

describe('a shared remote cache in an OCI registry', () => {
  it('machine A builds and pushes; machine B, with an empty store, runs zero stages and exports an identical tree', async () => {
    // With whiteouts (and an opaque directory) in the last layer. Store A itself is not verified here: a
    // layer with whiteouts built by overlayfs fails its seal later (its shared whiteout inode's link count
    // changes after commit; a store bug outside the remote cache). B's pulled copy verifies.
    const manifest = richManifest(undefined, [], { whiteouts: true });
    const a = newStore();
    const ra = await build(a, manifest, repo('shared'));
    expect(ra.status, ra.stderr).toBe(0);
    const built = stagesOf(ra);
    expect(built.map((s) => [s.cached, s.remote])).toEqual([[false, 'pushed'], [false, 'pushed'], [false, 'pushed']]);
    const keys = [...keysById(a).values()];
    expect(storedTags(registry.storage, 'ci/shared')).toEqual(expect.arrayContaining(keys));

    const b = newStore();
    const rb = await build(b, manifest, repo('shared'));
    expect(rb.status, rb.stderr).toBe(0);
    expect(rb.stderr).not.toMatch(/warning/);
    const pulled = stagesOf(rb);
    expect(pulled.map((s) => [s.cached, s.remote])).toEqual([[true, 'pulled'], [true, 'pulled'], [true, 'pulled']]);
    expect((JSON.parse(rb.stdout) as { log: object }).log).toEqual({});
    // Owners, modes, ns mtimes, xattrs (security.selinux, capabilities), hardlinks, device numbers, whiteouts applied.
    const listing = treeListing(exported(b));
    expect(listing).toContain('security.selinux="system_u:object_r:etc_t:s0"');
    expect(listing).toMatch(/\.\/etc\/a f 4751 123 456 6 981173106\.1234567890 2/);
    expect(listing).toContain('./dev/null0 1:3');
    expect(listing).not.toContain('./etc/sym');
    expect(listing).toBe(treeListing(exported(a)));
    await verifyStore(b);
    // The pulled objects are the objects A built: same keys, same manifests of their layers.
    for (const key of keys) {
      expect(readFileSync(join(b, 'objects', key, 'layer.manifest'), 'utf8')).toBe(readFileSync(join(a, 'objects', key, 'layer.manifest'), 'utf8'));
    }
    // The artifact: an OCI manifest with our artifactType, tagged by the cache key.
    const manifestDoc = JSON.parse(await (await fetch(`${registry.url}/v2/ci/shared/manifests/${keys[0]}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).text()) as Record<string, unknown>;
    expect(manifestDoc['artifactType']).toBe('application/vnd.osbuild-ts.object.v1');
    expect((manifestDoc['annotations'] as Record<string, string>)['io.github.osbuild-ts.cache-key']).toBe(keys[0]);

    // osbuild's JSONSeqMonitor gets a record per pulled stage.
    const c = newStore();
    const rc = await osbuild(['--libdir', project, '--store', c, '--output-directory', join(c, '..', 'out'), '--export', 'tree', '--monitor', 'JSONSeqMonitor', '--remote-cache', repo('shared'), manifest]);
    expect(rc.status, rc.stderr).toBe(0);
    const records = rc.stdout.split('\x1e').filter((r) => r.trim() !== '').map((r) => JSON.parse(r.split('\n')[0]!) as { message?: string; result?: { id?: string; remote?: string } });
    const remote = records.filter((r) => r.result?.remote !== undefined);
    expect(remote.map((r) => [r.message, r.result!.id, r.result!.remote])).toEqual(
      pulled.map((s) => [`Pulled module ${s.type} from the remote cache`, s.id, 'pulled']),
    );
  });

  it('when a pipeline\'s tree is in the remote cache, its build pipeline is neither pulled nor built', async () => {
    const salt = randomBytes(6).toString('hex');
    const manifest = join(temp('osbuild-remote-manifest-'), 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        version: '2',
        pipelines: [
          { name: 'build', stages: [mkdir(`/usr/share/build-root-${salt}`), mkdir('/usr/share/more')] },
          { name: 'tree', build: 'name:build', stages: [mkdir(`/etc/tree-${salt}`), mkdir('/etc/more')] },
        ],
      }),
    );
    const a = newStore();
    const ra = await build(a, manifest, repo('build-root'));
    expect(ra.status, ra.stderr).toBe(0);
    expect(stagesOf(ra).map((s) => s.remote)).toEqual(['pushed', 'pushed', 'pushed', 'pushed']);
    const b = newStore();
    const rb = await build(b, manifest, repo('build-root'));
    expect(rb.status, rb.stderr).toBe(0);
    expect(rb.stderr).not.toMatch(/warning/);
    // Only the exported pipeline's two objects came over; the build root's were not even looked at.
    expect(stagesOf(rb).map((s) => [s.cached, s.remote ?? null])).toEqual([[true, 'pulled'], [true, 'pulled']]);
    expect(readdirSync(join(b, 'objects'))).toHaveLength(2);
    expect(existsSync(join(exported(b), 'etc', `tree-${salt}`))).toBe(true);
    await verifyStore(b);
  });

  it('a corrupted blob in the registry is detected: that object is rebuilt locally, and the next machine gets a repaired copy', async () => {
    const manifest = richManifest();
    const a = newStore();
    const ra = await build(a, manifest, repo('corrupt'));
    expect(ra.status, ra.stderr).toBe(0);
    const ids = stagesOf(ra).map((s) => s.id);
    const key2 = keysById(a).get(ids[1]!)!;
    const artifact = JSON.parse(await (await fetch(`${registry.url}/v2/ci/corrupt/manifests/${key2}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).text()) as { layers: { digest: string }[] };
    const data = blobFile(registry.storage, artifact.layers[0]!.digest);
    // Flip one byte in the middle of the stored blob, as bit rot or a bad disk would.
    const fd = openSync(data, 'r+');
    const middle = Math.floor(statSync(data).size / 2);
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, middle);
    writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, middle);
    closeSync(fd);

    const b = newStore();
    const rb = await build(b, manifest, repo('corrupt'));
    expect(rb.status, rb.stderr).toBe(0);
    expect(rb.stderr).toMatch(/warning: .*corrupt/);
    const stages = stagesOf(rb);
    expect(stages.map((s) => [s.cached, s.remote ?? null])).toEqual([[true, 'pulled'], [false, 'pushed'], [false, null]]);
    expect(treeListing(exported(b), { mtimes: false })).toBe(treeListing(exported(a), { mtimes: false }));
    await verifyStore(b);

    // B pushed its rebuilt object over the corrupt one: C pulls everything.
    const c = newStore();
    const rc = await build(c, manifest, repo('corrupt'));
    expect(rc.status, rc.stderr).toBe(0);
    expect(stagesOf(rc).map((s) => s.remote)).toEqual(['pulled', 'pulled', 'pulled']);
    await verifyStore(c);
  });

  it('with the registry stopped, the build succeeds locally with a warning', async () => {
    const own = await import('./registry.js').then((m) => m.startRegistry());
    const url = `${own.url}/ci/stopped`;
    await own.stop();
    const a = newStore();
    const ra = await build(a, richManifest(), url);
    expect(ra.status, ra.stderr).toBe(0);
    expect(ra.stderr).toMatch(/warning: remote cache .* is unavailable/);
    expect(ra.stderr.match(/warning/g)).toHaveLength(1);
    expect(stagesOf(ra).map((s) => [s.cached, s.remote ?? null])).toEqual([[false, null], [false, null], [false, null]]);
    await verifyStore(a);
  });

  it('a registry that accepts connections and never answers is given up after one short probe, and the build succeeds locally', async () => {
    // A real socket server that accepts every connection and never writes a byte.
    const sockets = new Set<Socket>();
    let requests = 0;
    const silent = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('data', (data) => (requests += data.toString('latin1').match(/^(GET|HEAD|PUT|POST|PATCH|DELETE) /gm)?.length ?? 0));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/ci/silent`;
      const a = newStore();
      const ra = await build(a, richManifest(), url);
      expect(ra.status, ra.stderr).toBe(0);
      expect(ra.stderr).toMatch(/warning: remote cache .* is unavailable .*no answer within 4 s.*building locally without it for the rest of this build/);
      expect(ra.stderr.match(/warning/g)).toHaveLength(1);
      expect(stagesOf(ra).map((s) => [s.cached, s.remote ?? null])).toEqual([[false, null], [false, null], [false, null]]);
      // Only the first wave of lookups reached it: no retries, no pulls, no pushes after the probe went unanswered.
      expect(requests).toBeGreaterThan(0);
      expect(requests).toBeLessThanOrEqual(4);
      await verifyStore(a);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('4 concurrent builders of the same keys (two sharing a store) all succeed and nothing is corrupt', async () => {
    const manifest = richManifest(undefined, [shell(`${noise(2_000_000)} > big && sleep 0.2`)]);
    const shared = newStore();
    const stores = [shared, shared, newStore(), newStore()];
    const runs = await Promise.all(
      stores.map((store, i) =>
        osbuild(['--libdir', project, '--store', store, '--output-directory', join(store, '..', `out-${i}`), '--export', 'tree', '--json', '--remote-cache', repo('concurrent'), manifest]),
      ),
    );
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    for (const store of new Set(stores)) await verifyStore(store);
    const listings = stores.map((store, i) => treeListing(join(store, '..', `out-${i}`, 'tree'), { mtimes: false }));
    for (const listing of listings) expect(listing).toBe(listings[0]);
    // What the registry ended up with is complete and sound: a fifth machine pulls it all.
    const e = newStore();
    const re = await build(e, manifest, repo('concurrent'));
    expect(re.status, re.stderr).toBe(0);
    expect(stagesOf(re).map((s) => s.remote), re.stderr).toEqual(['pulled', 'pulled', 'pulled', 'pulled']);
    expect(treeListing(exported(e), { mtimes: false })).toBe(listings[0]);
    await verifyStore(e);
  });

  it('read-only mode pulls but never pushes', async () => {
    const manifest = richManifest();
    // Nothing in the repository: a read-only build pushes nothing, the repository is never even created.
    const a = newStore();
    const ra = await build(a, manifest, repo('readonly'), ['--remote-cache-mode', 'read']);
    expect(ra.status, ra.stderr).toBe(0);
    expect(stagesOf(ra).map((s) => s.remote ?? null)).toEqual([null, null, null]);
    expect(existsSync(join(registry.storage, 'docker', 'registry', 'v2', 'repositories', 'ci', 'readonly'))).toBe(false);
    const blobsBefore = readdirSync(join(registry.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256')).length;

    // A trusted machine fills it; an untrusted one pulls, builds a longer manifest, and pushes none of it.
    const w = newStore();
    expect((await build(w, manifest, repo('readonly'), ['--remote-cache-mode', 'write'])).status).toBe(0);
    const tags = storedTags(registry.storage, 'ci/readonly').sort();
    expect(tags).toHaveLength(3);
    const longer = join(temp('osbuild-remote-manifest-'), 'manifest.json');
    const doc = JSON.parse(readFileSync(manifest, 'utf8')) as { pipelines: { stages: unknown[] }[] };
    doc.pipelines[0]!.stages.push(shell('echo more > etc/more'));
    writeFileSync(longer, JSON.stringify(doc));
    const b = newStore();
    const rb = await build(b, longer, repo('readonly'), ['--remote-cache-mode', 'read']);
    expect(rb.status, rb.stderr).toBe(0);
    expect(stagesOf(rb).map((s) => [s.cached, s.remote ?? null])).toEqual([[true, 'pulled'], [true, 'pulled'], [true, 'pulled'], [false, null]]);
    expect(storedTags(registry.storage, 'ci/readonly').sort()).toEqual(tags);
    expect(readdirSync(join(registry.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256')).length).toBeGreaterThanOrEqual(blobsBefore);
    await verifyStore(b);
  });

  it('sources are shared by checksum: machine B gets a download from the registry when its URL is gone', async () => {
    const dir = temp('osbuild-remote-source-');
    execFileSync('sh', ['-c', 'mkdir -p "$1/t/opt" && echo payload > "$1/t/opt/file" && tar -C "$1/t" -cf "$1/payload.tar" opt', 'sh', dir]);
    const bytes = readFileSync(join(dir, 'payload.tar'));
    const checksum = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const server = createServer((request, response) => {
      response.writeHead(200, { 'content-length': bytes.length });
      response.end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payload.tar`;
    const manifest = join(dir, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({
      version: '2',
      sources: { 'org.osbuild.curl': { items: { [checksum]: { url } } } },
      pipelines: [{ name: 'tree', stages: [{ type: 'org.osbuild.untar', inputs: { file: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [checksum]: {} } } } }] }],
    }));
    const a = newStore();
    const ra = await build(a, manifest, repo('sources'));
    await new Promise((resolve) => server.close(resolve));
    expect(ra.status, ra.stderr).toBe(0);
    expect(storedTags(registry.storage, 'ci/sources')).toContain(`source-${checksum.slice(7)}`);

    // B: the URL answers no more; its object store and source cache are empty.
    const b = newStore();
    const rb = await build(b, manifest, repo('sources'));
    expect(rb.status, rb.stderr).toBe(0);
    expect(readFileSync(join(b, 'sources', 'org.osbuild.files', checksum))).toEqual(bytes);
    expect(stagesOf(rb).map((s) => s.remote)).toEqual(['pulled']);
    expect(readFileSync(join(exported(b), 'opt', 'file'), 'utf8')).toBe('payload\n');
  });

  it('a pull killed midway (kill -9) leaves nothing half-committed; the next build pulls and succeeds', async () => {
    // A layer big enough that its pull takes a while.
    const manifest = richManifest(undefined, [shell(`for i in 1 2 3 4; do ${noise(50_000_000)} > big$i; done`)]);
    const a = newStore();
    const ra = await build(a, manifest, repo('killed'));
    expect(ra.status, ra.stderr).toBe(0);
    const bigKey = keysById(a).get(stagesOf(ra)[3]!.id)!;

    const b = newStore();
    const child = spawn(process.execPath, [bin, '--libdir', project, '--store', b, '--output-directory', join(b, '..', 'out'), '--export', 'tree', '--remote-cache', repo('killed'), manifest], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill it once the big layer is being extracted into a staging directory.
    const stageDir = join(b, 'stage');
    let sawStaging = false;
    for (let i = 0; i < 2000 && child.exitCode === null; i++) {
      const entries = existsSync(stageDir) ? readdirSync(stageDir) : [];
      const big = entries.some((e) => existsSync(join(stageDir, e, 'obj', 'layer', 'big1')));
      if (big) {
        sawStaging = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(sawStaging).toBe(true);
    expect(existsSync(join(b, 'objects', bigKey))).toBe(false);

    await verifyStore(b);
    const rb = await build(b, manifest, repo('killed'));
    expect(rb.status, rb.stderr).toBe(0);
    expect(stagesOf(rb).every((s) => s.cached)).toBe(true);
    expect(readdirSync(join(b, 'stage'))).toEqual([]);
    expect(treeListing(exported(b))).toBe(treeListing(exported(a)));
    await verifyStore(b);
  });

  it('a layer shared by device stages travels with its record: machine B reports each of its stages pulled, with their metadata', async () => {
    const loop = { type: 'org.osbuild.loopback', options: { filename: 'disk.img' } };
    const mounted = { devices: { root: loop }, mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'root', target: '/' }] };
    const salt = randomBytes(6).toString('hex');
    const doc = {
      version: '2',
      pipelines: [{
        name: 'tree',
        stages: [
          shell(`truncate -s 32M disk.img # ${salt}`),
          { ...shell('mkfs.ext4 -q -F "$DEVICE_root" && echo made'), devices: { root: loop } },
          { ...shell('echo hi > "$MOUNT_root/hi" && echo wrote'), ...mounted },
        ],
      }],
    };
    const manifest = join(temp('osbuild-remote-chain-'), 'chain.json');
    writeFileSync(manifest, JSON.stringify(doc));
    const a = newStore();
    const ra = await build(a, manifest, repo('chain'));
    expect(ra.status, ra.stderr).toBe(0);
    expect(stagesOf(ra).map((s) => [s.cached, s.remote])).toEqual([[false, 'pushed'], [false, undefined], [false, 'pushed']]);
    expect(readdirSync(join(a, 'objects'))).toHaveLength(2);

    const b = newStore();
    const rb = await build(b, manifest, repo('chain'));
    expect(rb.status, rb.stderr).toBe(0);
    expect(stagesOf(rb).map((s) => [s.cached, s.remote])).toEqual([[true, 'pulled'], [true, 'pulled'], [true, 'pulled']]);
    // osbuild's metadata document (merged per stage type): the same as A's, the pulled stages' metadata included.
    const metadata = (run: Run) => (JSON.parse(run.stdout) as { metadata: { tree: Record<string, { stdout: string }> } }).metadata;
    expect(metadata(ra).tree['org.test.shell']!.stdout).toBe('wrote\n');
    expect(metadata(rb)).toEqual(metadata(ra));
    // The chain record came along: B's object names the stages its layer holds.
    const chainOf = (store: string) =>
      readdirSync(join(store, 'objects')).map((k) => (JSON.parse(readFileSync(join(store, 'objects', k, 'object.info'), 'utf8')) as { chain?: unknown }).chain).filter((c) => c !== undefined);
    expect(chainOf(b)).toHaveLength(1);
    expect(chainOf(b)).toEqual(chainOf(a));
    await verifyStore(b);
  });
});
