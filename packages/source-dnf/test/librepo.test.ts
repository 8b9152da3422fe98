import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedPort, startTestServer } from '@osbuild-ts/source-kit/testing';
import { fetch, hangingUp, itemsOf, makeRepository, metalinkMirrors, sha256 } from './helpers.js';

const inCache = (cache: string) => readdirSync(cache).filter((n) => !n.startsWith('.tmp-')).sort();

describe('org.osbuild.librepo: baseurl mirrors', () => {
  it('fetches every item by checksum from <baseurl>/<path> into the cache', async () => {
    const repo = makeRepository();
    const server = await startTestServer({ root: repo.dir });
    const items = itemsOf(repo, 'local');
    const run = await fetch(items, { mirrors: { local: { url: `${server.url}/`, type: 'baseurl' } } });
    expect(run.exitCode).toBe(0);
    for (const rpm of repo.rpms) {
      expect(run.items.get(rpm.checksum)).toMatchObject({ success: true, cached: false, url: `${server.url}/${rpm.path}` });
      expect(readFileSync(join(run.cache, rpm.checksum)).equals(rpm.bytes)).toBe(true);
    }
    expect(inCache(run.cache)).toEqual(Object.keys(items).sort());
    expect(run.log).toContain(`Downloaded ${server.url}/${repo.rpm('osbt-hello').path}`);
  });

  it('quotes the item path as librepo does, and never the mirror URL', async () => {
    const server = await startTestServer({
      before: (req, res) => {
        res.writeHead(200).end(req.url === '/my%20repo/Packages/libstdc%2B%2B-13.rpm' ? 'plus' : 'wrong');
        return true;
      },
    });
    const run = await fetch({ [sha256('plus')]: { path: 'Packages/libstdc++-13.rpm', mirror: 'm' } }, { mirrors: { m: { url: `${server.url}/my%20repo`, type: 'baseurl' } } });
    expect(run.items.get(sha256('plus'))).toMatchObject({ success: true });
  });

  it('rejects bytes that do not match, naming the item, the URL and both checksums; nothing enters the cache', async () => {
    const repo = makeRepository();
    const hello = repo.rpm('osbt-hello');
    const tampered = Buffer.from(hello.bytes);
    tampered[tampered.length - 1]! ^= 0xff;
    const server = await startTestServer({ root: repo.dir, files: { [`/${hello.path}`]: tampered } });
    const run = await fetch(itemsOf(repo, 'local'), { mirrors: { local: { url: server.url, type: 'baseurl' } } });
    expect(run.exitCode).toBe(1);
    expect(run.items.get(hello.checksum)).toEqual({
      type: 'item',
      checksum: hello.checksum,
      success: false,
      cached: false,
      reason: 'verify',
      url: `${server.url}/${hello.path}`,
      actual: sha256(tampered),
      error: `checksum mismatch: ${server.url}/${hello.path} served ${sha256(tampered)}, expected ${hello.checksum}`,
    });
    expect(inCache(run.cache)).not.toContain(hello.checksum);
    expect(inCache(run.cache)).toHaveLength(repo.rpms.length - 1);
    // Neither left behind in the scratch directory.
    expect(readdirSync(join(run.cache, readdirSync(run.cache).find((n) => n.startsWith('.tmp-'))!))).toEqual([]);
  });

  it('resumes a transfer the server broke off mid-file (Range), and the bytes still verify', async () => {
    const repo = makeRepository(['osbt-data']);
    const data = repo.rpm('osbt-data');
    const server = await startTestServer({ root: repo.dir });
    server.drops.set(`/${data.path}`, { bytes: 2000, times: 1 });
    const run = await fetch(itemsOf(repo, 'local'), { mirrors: { local: { url: server.url, type: 'baseurl' } } });
    expect(run.items.get(data.checksum)).toMatchObject({ success: true });
    expect(server.requests.map((r) => r.range ?? null)).toEqual([null, 'bytes=2000-']);
    expect(run.log.some((l) => l.includes('resuming at byte 2000'))).toBe(true);
    expect(readFileSync(join(run.cache, data.checksum)).equals(data.bytes)).toBe(true);
  });

  it('keeps at most max-parallels downloads of one mirror running', async () => {
    const repo = makeRepository();
    const server = await startTestServer({
      root: repo.dir,
      // Hold each answer a moment so that parallel requests overlap.
      before: () => new Promise((resolve) => setTimeout(() => resolve(false), 30)),
    });
    const run = await fetch(itemsOf(repo, 'local'), { mirrors: { local: { url: server.url, type: 'baseurl', 'max-parallels': 1 } } }, { parallel: 8 });
    expect(run.exitCode).toBe(0);
    expect(server.maxConcurrent).toBe(1);
  });

  it('a second fetch with the server gone succeeds from the cache', async () => {
    const repo = makeRepository();
    const server = await startTestServer({ root: repo.dir });
    const options = { mirrors: { local: { url: server.url, type: 'baseurl' } } };
    const first = await fetch(itemsOf(repo, 'local'), options);
    expect(first.exitCode).toBe(0);
    await server.close();
    const again = await fetch(itemsOf(repo, 'local'), options, { cache: first.cache });
    expect(again.exitCode).toBe(0);
    for (const rpm of repo.rpms) expect(again.items.get(rpm.checksum)).toEqual({ type: 'item', checksum: rpm.checksum, success: true, cached: true });
  });

  it('offline: fails at once, naming each missing item and its mirror, without a request', async () => {
    const repo = makeRepository();
    const server = await startTestServer({ root: repo.dir });
    const run = await fetch(itemsOf(repo, 'local'), { mirrors: { local: { url: server.url, type: 'baseurl' } } }, { offline: true });
    expect(run.exitCode).toBe(1);
    const hello = repo.rpm('osbt-hello');
    expect(run.items.get(hello.checksum)).toMatchObject({
      success: false,
      reason: 'offline',
      error: `offline: not in the cache, and ${hello.path} (mirror local) needs the network`,
    });
    expect(server.requests).toEqual([]);
  });

  it('offline still reads a mirror on disk (file://)', async () => {
    const repo = makeRepository();
    const run = await fetch(itemsOf(repo, 'disk'), { mirrors: { disk: { url: `file://${repo.dir}`, type: 'baseurl' } } }, { offline: true });
    expect(run.exitCode).toBe(0);
    expect(inCache(run.cache)).toHaveLength(repo.rpms.length);
  });
});

describe('org.osbuild.librepo: mirror lists', () => {
  it('mirrorlist: a dead mirror first, the next one is used, and the dead one is not asked again for every item', async () => {
    const repo = makeRepository();
    const dead = await hangingUp();
    const server = await startTestServer({ root: repo.dir });
    server.files.set('/mirrorlist', Buffer.from(`# generated\n\nhttp://127.0.0.1:${dead.port}/fedora/\nrsync://127.0.0.1/skipped/\n${server.url}/\n`));
    const run = await fetch(itemsOf(repo, 'fedora'), { mirrors: { fedora: { url: `${server.url}/mirrorlist`, type: 'mirrorlist' } } }, { parallel: 2 });
    expect(run.exitCode).toBe(0);
    for (const rpm of repo.rpms) expect(run.items.get(rpm.checksum)).toMatchObject({ success: true, url: `${server.url}/${rpm.path}` });
    expect(server.requests.filter((r) => r.url === '/mirrorlist')).toHaveLength(1);
    // One attempt per parallel slot at most, not one per item.
    expect(dead.connections()).toBeGreaterThan(0);
    expect(dead.connections()).toBeLessThanOrEqual(2);
  });

  it('mirrorlist that cannot be fetched: every item of that mirror fails naming it; other mirrors go on', async () => {
    const repo = makeRepository();
    const server = await startTestServer({ root: repo.dir });
    const [hello, ...rest] = repo.rpms;
    const items = {
      [hello!.checksum]: { path: hello!.path, mirror: 'listed' },
      ...Object.fromEntries(rest.map((r) => [r.checksum, { path: r.path, mirror: 'direct' }])),
    };
    const run = await fetch(items, {
      mirrors: { listed: { url: `${server.url}/no-such-list`, type: 'mirrorlist' }, direct: { url: server.url, type: 'baseurl' } },
    });
    expect(run.items.get(hello!.checksum)).toMatchObject({
      success: false,
      reason: 'fetch',
      url: `${server.url}/no-such-list`,
      error: `${hello!.path}: mirror listed: cannot fetch its mirrorlist: cannot fetch ${server.url}/no-such-list: HTTP 404 Not Found`,
    });
    for (const rpm of rest) expect(run.items.get(rpm.checksum)).toMatchObject({ success: true });
  });

  it('metalink: honours its repomd.xml hashes — a mirror still serving an old repomd.xml is tried last', async () => {
    const { repo, server, staleServer } = await metalinkMirrors({ staleFirst: true });
    const run = await fetch(itemsOf(repo, 'fedora'), { mirrors: { fedora: { url: `${server.url}/metalink`, type: 'metalink' } } });
    expect(run.exitCode).toBe(0);
    for (const rpm of repo.rpms) expect(run.items.get(rpm.checksum)).toMatchObject({ success: true, url: `${server.url}/${rpm.path}` });
    // The stale mirror was asked only for its repomd.xml, though it holds osbt-hello too.
    expect(staleServer.requests.map((r) => r.url)).toEqual(['/repodata/repomd.xml']);
    expect(run.log.some((l) => l.includes(`${staleServer.url} tried last: its repomd.xml (sha512:`) && l.includes('is not one the metalink lists'))).toBe(true);
  });

  it('metalink: a stale mirror is still a last resort, since the item checksums decide', async () => {
    const { repo, server, staleServer } = await metalinkMirrors({ staleFirst: false });
    const hello = repo.rpm('osbt-hello');
    // The current mirror lost osbt-hello.
    rmSync(join(repo.dir, hello.path));
    const run = await fetch(itemsOf(repo, 'fedora', ['osbt-hello']), { mirrors: { fedora: { url: `${server.url}/metalink`, type: 'metalink' } } });
    expect(run.items.get(hello.checksum)).toMatchObject({ success: true, url: `${staleServer.url}/${hello.path}` });
  });

  it('fastest-mirror: an unreachable mirror goes last before anything is requested', async () => {
    const repo = makeRepository(['osbt-hello']);
    const dead = await closedPort();
    const server = await startTestServer({ root: repo.dir });
    server.files.set('/mirrorlist', Buffer.from(`http://127.0.0.1:${dead}/\n${server.url}/\n`));
    const hello = repo.rpm('osbt-hello');
    const run = await fetch(itemsOf(repo, 'm'), { mirrors: { m: { url: `${server.url}/mirrorlist`, type: 'mirrorlist', 'fastest-mirror': true } } }, { overrides: { rounds: 1 } });
    // With rounds 1 and no reordering the dead mirror would have been tried first and logged an error.
    expect(run.items.get(hello.checksum)).toMatchObject({ success: true, url: `${server.url}/${hello.path}` });
    expect(run.log.join('\n')).not.toContain('ECONNREFUSED');
  });
});

describe('org.osbuild.librepo: what it refuses', () => {
  it('an unknown mirror id, a mirror with secrets, an item that is not one', async () => {
    const run = await fetch(
      {
        [sha256('a')]: { path: 'a.rpm', mirror: 'nope' },
        [sha256('b')]: { path: 'b.rpm', mirror: 'rhsm' },
        [sha256('c')]: 'http://127.0.0.1:1/c.rpm',
      },
      { mirrors: { rhsm: { url: 'http://127.0.0.1:1/', type: 'baseurl', secrets: { name: 'org.osbuild.rhsm' } } } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.items.get(sha256('a'))).toMatchObject({ success: false, reason: 'unsupported', error: 'a.rpm: missing mirror "nope" (options.mirrors has rhsm)' });
    expect(run.items.get(sha256('b'))).toMatchObject({
      success: false,
      reason: 'unsupported',
      error: 'b.rpm: mirror rhsm needs the secrets provider "org.osbuild.rhsm", which osbuild-ts does not support',
    });
    expect(run.items.get(sha256('c'))).toMatchObject({ success: false, reason: 'unsupported', error: expect.stringContaining('not an org.osbuild.librepo item') });
  });

  it('options without mirrors, and overrides it does not understand, as one source error', async () => {
    const none = await fetch({ [sha256('a')]: { path: 'a', mirror: 'm' } }, {});
    expect(none.messages).toContainEqual({ type: 'error', message: expect.stringContaining('"mirrors" is required') });
    const bad = await fetch({ [sha256('a')]: { path: 'a', mirror: 'm' } }, { mirrors: { m: { url: 'http://127.0.0.1:1', type: 'baseurl' } } }, { overrides: { mirors: [] } });
    expect(bad.messages).toContainEqual({ type: 'error', message: expect.stringContaining('source overrides for org.osbuild.librepo: unknown key "mirors"') });
  });

  it('follows the overrides file: mirror rules rewrite item URLs, "original": false never touches the manifest\'s', async () => {
    const repo = makeRepository(['osbt-hello']);
    const local = await startTestServer({ root: repo.dir });
    const hello = repo.rpm('osbt-hello');
    const run = await fetch(itemsOf(repo, 'fedora'), { mirrors: { fedora: { url: 'http://127.0.0.1:9/upstream/', type: 'baseurl' } } }, {
      overrides: { mirrors: [{ from: 'http://127.0.0.1:9/upstream/', to: `${local.url}/` }], original: false },
    });
    expect(run.items.get(hello.checksum)).toMatchObject({ success: true, url: `${local.url}/${hello.path}` });
  });
});
