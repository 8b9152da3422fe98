import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { breakOff, closedPort, startTestServer } from '@osbuild-ts/source-kit/testing';
import { checksum, fetch, proxy, sha256, tempDir, TLS } from './helpers.js';

const read = (cache: string, sum: string) => readFileSync(join(cache, sum));

describe('org.osbuild.curl over http', () => {
  it('fetches items in both shapes, for every checksum algorithm osbuild accepts, and links them into the cache', async () => {
    const body = Buffer.from('payload\n'.repeat(1000));
    const server = await startTestServer({ files: { '/p': body, '/q': 'q' } });
    const items: Record<string, unknown> = {};
    for (const algorithm of ['md5', 'sha1', 'sha256', 'sha384', 'sha512']) items[checksum(algorithm, body)] = `${server.url}/p`;
    items[sha256('q')] = { url: `${server.url}/q`, insecure: false };
    const run = await fetch(items);
    expect(run.exitCode).toBe(0);
    for (const sum of Object.keys(items)) {
      expect(run.items.get(sum)).toMatchObject({ success: true, cached: false });
      expect(read(run.cache, sum).length).toBe(sum === sha256('q') ? 1 : body.length);
    }
    // The temporary directory is all that is left besides the items.
    expect(readdirSync(run.cache).filter((n) => !n.startsWith('.tmp-')).sort()).toEqual(Object.keys(items).sort());
    expect(readdirSync(join(run.cache, readdirSync(run.cache).find((n) => n.startsWith('.tmp-'))!))).toEqual([]);
    const machine = { x64: 'x86_64', arm64: 'aarch64' }[arch()] ?? arch();
    expect(server.requests[0]!.headers['user-agent']).toBe(`osbuild (Linux.${machine}; https://osbuild.org/)`);
    expect(run.log).toContain(`Downloaded ${server.url}/q`);
  });

  it('percent-encodes the URL path as osbuild does', async () => {
    const server = await startTestServer({ files: { '/a b/c%20d+e': 'x' } });
    const run = await fetch({ [sha256('x')]: `${server.url}/a b/c%20d+e` });
    expect(run.exitCode).toBe(0);
    expect(server.requests[0]!.url).toBe('/a%20b/c%2520d%2Be');
  });

  it('follows redirects', async () => {
    const target = await startTestServer({ files: { '/real': 'redirected' } });
    const server = await startTestServer({
      before: (req, res) => {
        if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
        else res.writeHead(301, { location: `${target.url}/real` }).end();
        return true;
      },
    });
    const run = await fetch({ [sha256('redirected')]: `${server.url}/old`, [sha256('never')]: `${server.url}/loop` }, { overrides: { rounds: 1 } });
    expect(run.items.get(sha256('redirected'))).toMatchObject({ success: true });
    expect(run.items.get(sha256('never'))).toMatchObject({ success: false, error: expect.stringContaining('more than 50 redirects') });
  });

  it('does not retry a 404, retries a 503 with backoff', async () => {
    let failures = 2;
    const server = await startTestServer({
      files: { '/flaky': 'flaky' },
      before: (req, res) => {
        if (req.url !== '/flaky' || failures-- <= 0) return false;
        res.writeHead(503).end();
        return true;
      },
    });
    const run = await fetch({ [sha256('flaky')]: `${server.url}/flaky`, [sha256('gone')]: `${server.url}/gone` }, { parallel: 1 });
    expect(run.items.get(sha256('flaky'))).toMatchObject({ success: true });
    expect(run.items.get(sha256('gone'))).toMatchObject({ success: false, reason: 'fetch', error: expect.stringContaining('HTTP 404') });
    expect(server.requests.filter((r) => r.url === '/flaky')).toHaveLength(3);
    expect(server.requests.filter((r) => r.url === '/gone')).toHaveLength(1);
    expect(run.exitCode).toBe(1);
  });

  it('gives up after the configured passes, naming the URL and the last error', async () => {
    const port = await closedPort();
    const run = await fetch({ [sha256('x')]: `http://127.0.0.1:${port}/x` }, { overrides: { rounds: 2 } });
    expect(run.items.get(sha256('x'))).toMatchObject({
      success: false,
      reason: 'fetch',
      url: `http://127.0.0.1:${port}/x`,
      error: `could not fetch (2 passes): http://127.0.0.1:${port}/x: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('aborts a stalled transfer (speed limit) and moves on to the next mirror', async () => {
    const stalled = await startTestServer({
      before: (_req, res) => {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('x'); // …and nothing more
        return true;
      },
    });
    const good = await startTestServer({ files: { '/f': 'the file' } });
    const run = await fetch({ [sha256('the file')]: `${stalled.url}/f` }, {
      overrides: { 'speed-limit': 1000, 'speed-time': 0.3, mirrors: [{ from: stalled.url, to: [stalled.url, good.url] }], original: false },
    });
    expect(run.items.get(sha256('the file'))).toMatchObject({ success: true, url: `${good.url}/f` });
  });

  it('rejects bytes that do not match, without retrying that URL, and says what it got', async () => {
    const server = await startTestServer({ files: { '/f': 'tampered' } });
    const run = await fetch({ [sha256('original')]: `${server.url}/f` });
    expect(run.items.get(sha256('original'))).toEqual({
      type: 'item',
      checksum: sha256('original'),
      success: false,
      cached: false,
      reason: 'verify',
      url: `${server.url}/f`,
      actual: sha256('tampered'),
      error: `checksum mismatch: ${server.url}/f served ${sha256('tampered')}, expected ${sha256('original')}`,
    });
    expect(server.requests).toHaveLength(1);
    // Neither in the cache nor left behind in the scratch directory.
    expect(readdirSync(run.cache).filter((n) => !n.startsWith('.tmp-'))).toEqual([]);
    expect(readdirSync(join(run.cache, readdirSync(run.cache)[0]!))).toEqual([]);
  });

  it('fetches again from the start when resumed pieces do not add up', async () => {
    // The first response breaks off; the resumed one comes from a "new version" of the file.
    const right = Buffer.alloc(300_000, 1);
    let calls = 0;
    const server = await startTestServer({
      files: { '/f': right },
      before: (_req, res) => {
        if (++calls > 1) return false;
        // Without a validator (ETag) the client cannot tell the two versions apart.
        res.writeHead(200, { 'content-length': right.length });
        breakOff(res, Buffer.alloc(100_000, 9));
        return true;
      },
    });
    const run = await fetch({ [sha256(right)]: `${server.url}/f` });
    expect(run.items.get(sha256(right))).toMatchObject({ success: true });
    expect(server.requests.map((r) => r.headers.range ?? null)).toEqual([null, 'bytes=100000-', null]);
    expect(run.log.some((l) => l.includes('checksum mismatch after resuming'))).toBe(true);
  });

  it('keeps an item that is already in the cache', async () => {
    const server = await startTestServer({ files: { '/f': 'same' } });
    const cache = tempDir('curl-cache-');
    writeFileSync(join(cache, sha256('same')), 'same');
    const run = await fetch({ [sha256('same')]: `${server.url}/f` }, { cache });
    expect(run.items.get(sha256('same'))).toMatchObject({ success: true, cached: true });
  });
});

describe('org.osbuild.curl: https, proxies, file URLs', () => {
  it('checks certificates unless the item (or the overrides) say insecure', async () => {
    const server = await startTestServer({ files: { '/s': 'secret' }, tls: TLS });
    const strict = await fetch({ [sha256('secret')]: `${server.url}/s` });
    expect(strict.items.get(sha256('secret'))).toMatchObject({ success: false, error: expect.stringContaining('self-signed certificate') });
    // A certificate error is not worth another pass.
    expect(server.requests).toHaveLength(0);
    const insecure = await fetch({ [sha256('secret')]: { url: `${server.url}/s`, insecure: true } });
    expect(insecure.items.get(sha256('secret'))).toMatchObject({ success: true });
    const globally = await fetch({ [sha256('secret')]: `${server.url}/s` }, { overrides: { insecure: true } });
    expect(globally.items.get(sha256('secret'))).toMatchObject({ success: true });
  });

  it('goes through an http proxy: absolute-form for http, CONNECT for https', async () => {
    const plain = await startTestServer({ files: { '/p': 'plain' } });
    const secure = await startTestServer({ files: { '/s': 'secure' }, tls: TLS });
    const forward = await proxy();
    const run = await fetch(
      { [sha256('plain')]: `${plain.url}/p`, [sha256('secure')]: { url: `${secure.url}/s`, insecure: true } },
      { env: { OSBUILD_SOURCES_CURL_PROXY: forward.url } },
    );
    expect(run.exitCode).toBe(0);
    expect(forward.requests.map((r) => `${r.method} ${r.url}`).sort()).toEqual([`CONNECT 127.0.0.1:${secure.port}`, `GET ${plain.url}/p`]);
  });

  it('reads file:// URLs (percent-encoded like the rest), and names a missing file', async () => {
    const dir = tempDir('curl-files-');
    mkdirSync(join(dir, 'a b'));
    writeFileSync(join(dir, 'a b', 'c+d'), 'local');
    const url = `file://${dir}/a b/c+d`;
    const run = await fetch({ [sha256('local')]: url, [sha256('none')]: `file://${dir}/none` });
    expect(run.items.get(sha256('local'))).toMatchObject({ success: true, url });
    expect(run.items.get(sha256('none'))).toMatchObject({ success: false, error: expect.stringContaining('no such file') });
    expect(pathToFileURL(join(dir, 'a b', 'c+d')).href).toBe(`file://${dir}/a%20b/c+d`);
  });

  it('offline: fails network items without a request, still reads file:// mirrors', async () => {
    const server = await startTestServer({ files: { '/f': 'net' } });
    const dir = tempDir('curl-mirror-');
    writeFileSync(join(dir, 'g'), 'mirrored');
    const run = await fetch(
      { [sha256('net')]: `${server.url}/f`, [sha256('mirrored')]: `${server.url}/g` },
      { offline: true, overrides: { mirrors: [{ from: `${server.url}/g`, to: `file://${dir}/g` }] } },
    );
    expect(run.items.get(sha256('net'))).toMatchObject({ success: false, reason: 'offline', error: `offline: not in the cache, and ${server.url}/f needs the network` });
    expect(run.items.get(sha256('mirrored'))).toMatchObject({ success: true });
    expect(server.requests).toHaveLength(0);
  });
});

describe('org.osbuild.curl: what it refuses', () => {
  it('items that need secrets, and checksums that are not ones', async () => {
    const run = await fetch({
      [sha256('s')]: { url: 'http://127.0.0.1:1/s', secrets: { name: 'org.osbuild.rhsm' } },
      'sha256:abc': 'http://127.0.0.1:1/x',
    });
    expect(run.items.get(sha256('s'))).toMatchObject({ success: false, reason: 'unsupported', error: expect.stringContaining('secrets provider "org.osbuild.rhsm" is not supported') });
    expect(run.items.get('sha256:abc')).toMatchObject({ success: false, reason: 'unsupported', error: expect.stringContaining('has 64 lower-case hex digits') });
  });

  it('overrides it does not understand, as one source error', async () => {
    const run = await fetch({ [sha256('x')]: 'http://127.0.0.1:1/x' }, { overrides: { mirors: [] } });
    expect(run.exitCode).not.toBe(0);
    expect(run.messages).toContainEqual({ type: 'error', message: expect.stringContaining('unknown key "mirors"') });
  });
});
