import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOsbuildError, type OsbuildError } from '@osbuild-ts/core';
import { fetchSources, sourcesResultDocument, type SourceEvent } from '../../src/sources/index.js';
import { closedPort, content, manifestOf, sha256, sourceProject, startServer, tempStore } from './helpers.js';

const FILES = 'org.osbuild.files';
/** Fast retries: the defaults (10 passes, 0.25 s doubling) are for real networks. */
const quick = { 'org.osbuild.curl': { rounds: 3, backoff: [0.01, 0.05] } };

function curlManifest(items: Record<string, unknown>) {
  return manifestOf({ version: '2', pipelines: [], sources: { 'org.osbuild.curl': { items } } });
}

async function failure(promise: Promise<unknown>): Promise<OsbuildError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOsbuildError(error)) throw new Error(`expected an OsbuildError, got ${String(error)}`);
  return error;
}

describe('fetchSources with org.osbuild.curl', () => {
  it('fetches, verifies and caches every item; a second run with the server stopped comes from the cache', async () => {
    const a = content('a', 300_000);
    const b = content('b', 5);
    const server = await startServer({ '/a': a, '/dir/b': b });
    const { registry } = await sourceProject();
    const { store, reopen } = await tempStore();
    const manifest = curlManifest({ [sha256(a)]: `${server.url}/a`, [sha256(b)]: { url: `${server.url}/dir/b` } });
    const events: SourceEvent[] = [];

    const first = await fetchSources(manifest, registry, store, { onEvent: (e) => events.push(e) });
    expect(first.success).toBe(true);
    expect(first.results.get('org.osbuild.curl')).toEqual([
      { checksum: sha256(a), success: true, cached: false, url: `${server.url}/a` },
      { checksum: sha256(b), success: true, cached: false, url: `${server.url}/dir/b` },
    ]);
    expect(readFileSync(store.sources.path(FILES, sha256(a))).equals(a)).toBe(true);
    expect(readFileSync(store.sources.path(FILES, sha256(b))).equals(b)).toBe(true);
    // Only finished files, nothing temporary, is left in the cache.
    expect(readdirSync(join(store.sources.dir, FILES)).sort()).toEqual([sha256(a), sha256(b)].sort());
    expect(server.requests.every((r) => r.userAgent === `osbuild (Linux.${process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch}; https://osbuild.org/)`)).toBe(true);
    expect(events[0]).toEqual({ type: 'source-start', source: 'org.osbuild.curl', items: 2, cached: 0 });
    expect(events.filter((e) => e.type === 'source-progress').at(-1)).toMatchObject({ done: expect.any(Number), fetching: 2 });
    expect(events.filter((e) => e.type === 'source-item')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'source-end', source: 'org.osbuild.curl', success: true });
    expect(sourcesResultDocument(first.results)).toEqual({
      success: true,
      'org.osbuild.curl': [
        { checksum: sha256(a), cached: false },
        { checksum: sha256(b), cached: false },
      ],
    });

    await server.close();
    await store.close();
    const again = await fetchSources(manifest, registry, await reopen());
    expect(again.results.get('org.osbuild.curl')!.map((r) => [r.success, r.cached])).toEqual([
      [true, true],
      [true, true],
    ]);
  });

  it('rejects a tampered file, naming the item, the URL and both checksums, and caches nothing', async () => {
    const good = content('good', 100_000);
    const tampered = Buffer.from(good);
    tampered[50_000] = tampered[50_000]! ^ 1;
    const server = await startServer({ '/pkg.rpm': tampered });
    const { registry } = await sourceProject();
    const { store } = await tempStore();
    const error = await failure(fetchSources(curlManifest({ [sha256(good)]: `${server.url}/pkg.rpm` }), registry, store, { overrides: quick }));
    expect(error.code).toBe('E_SOURCE_VERIFY');
    expect(error.message).toContain(sha256(good));
    expect(error.message).toContain(sha256(tampered));
    expect(error.message).toContain(`${server.url}/pkg.rpm`);
    expect(error.details).toMatchObject({ expected: sha256(good), actual: sha256(tampered), url: `${server.url}/pkg.rpm`, source: { type: 'org.osbuild.curl' } });
    expect(await store.sources.has(FILES, sha256(good))).toBe(false);
    expect(readdirSync(join(store.sources.dir, FILES))).toEqual([]);
    // A wrong file is not retried from the same server.
    expect(server.requests).toHaveLength(1);
  });

  it('falls back across mirrors from the overrides: one down, the next used', async () => {
    const data = content('mirrored', 200_000);
    const server = await startServer({ '/mirror/f/data.bin': data });
    const down = await closedPort();
    const gone = await closedPort();
    const { registry } = await sourceProject();
    const { store } = await tempStore();
    const overrides = {
      'org.osbuild.curl': {
        ...quick['org.osbuild.curl'],
        mirrors: [{ from: `http://127.0.0.1:${gone}/upstream/`, to: [`http://127.0.0.1:${down}/mirror/`, `${server.url}/mirror/`] }],
      },
    };
    const result = await fetchSources(curlManifest({ [sha256(data)]: `http://127.0.0.1:${gone}/upstream/f/data.bin` }), registry, store, { overrides });
    expect(result.results.get('org.osbuild.curl')).toEqual([{ checksum: sha256(data), success: true, cached: false, url: `${server.url}/mirror/f/data.bin` }]);
    expect(readFileSync(store.sources.path(FILES, sha256(data))).equals(data)).toBe(true);
  });

  it('resumes a download the server cut off mid-file', async () => {
    const data = content('big', 2_000_000);
    const server = await startServer({ '/big': data });
    server.drops.set('/big', { bytes: 700_000, times: 2 });
    const { registry } = await sourceProject();
    const { store } = await tempStore();
    const events: SourceEvent[] = [];
    const result = await fetchSources(curlManifest({ [sha256(data)]: `${server.url}/big` }), registry, store, { overrides: quick, onEvent: (e) => events.push(e) });
    expect(result.success).toBe(true);
    expect(readFileSync(store.sources.path(FILES, sha256(data))).equals(data)).toBe(true);
    expect(server.requests.map((r) => r.range ?? null)).toEqual([null, 'bytes=700000-', 'bytes=1400000-']);
    expect(server.requests.slice(1).every((r) => r.ifRange !== undefined)).toBe(true);
    expect(events.some((e) => e.type === 'source-log' && e.line.includes('resuming at byte 700000'))).toBe(true);
  });

  it('starts over when a server that cannot resume cuts a download off', async () => {
    const data = content('no-ranges', 1_000_000);
    const server = await startServer({ '/f': data }, { ranges: false });
    server.drops.set('/f', { bytes: 400_000, times: 1 });
    const { registry } = await sourceProject();
    const { store } = await tempStore();
    await fetchSources(curlManifest({ [sha256(data)]: `${server.url}/f` }), registry, store, { overrides: quick });
    expect(readFileSync(store.sources.path(FILES, sha256(data))).equals(data)).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('fails with the URL and the reason when an item cannot be fetched, after trying every source', async () => {
    const ok = Buffer.from('fine\n');
    const server = await startServer({ '/ok': ok });
    const { registry } = await sourceProject();
    const { store } = await tempStore();
    const missing = sha256('never served');
    const manifest = manifestOf({
      version: '2',
      pipelines: [],
      sources: {
        'org.osbuild.curl': { items: { [missing]: `${server.url}/missing`, [sha256(ok)]: `${server.url}/ok` } },
        'org.osbuild.inline': { items: { [sha256('x')]: { encoding: 'base64', data: Buffer.from('x').toString('base64') } } },
      },
    });
    const error = await failure(fetchSources(manifest, registry, store, { overrides: quick }));
    expect(error.code).toBe('E_SOURCE_FETCH');
    expect(error.message).toContain(`item ${missing}`);
    expect(error.message).toContain(`${server.url}/missing`);
    expect(error.message).toContain('HTTP 404');
    // The other items and the other source were still fetched.
    expect(await store.sources.has(FILES, sha256(ok))).toBe(true);
    expect(await store.sources.has(FILES, sha256('x'))).toBe(true);
    const results = error.details['results'] as Map<string, unknown>;
    expect(sourcesResultDocument(results as never)).toMatchObject({ success: false, 'org.osbuild.curl': [{ checksum: missing, error: expect.stringContaining('404') }, { checksum: sha256(ok), cached: false }] });
  });

  it('--offline fails before fetching anything, listing every missing item and its URL', async () => {
    const a = content('offline-a', 10);
    const b = content('offline-b', 10);
    const server = await startServer({ '/a': a, '/b': b });
    const { registry } = await sourceProject();
    const { store } = await tempStore();
    const inline = sha256('inline');
    const manifest = manifestOf({
      version: '2',
      pipelines: [],
      sources: {
        'org.osbuild.curl': { items: { [sha256(a)]: `${server.url}/a`, [sha256(b)]: { url: `${server.url}/b` } } },
        'org.osbuild.inline': { items: { [inline]: { encoding: 'base64', data: Buffer.from('inline').toString('base64') } } },
      },
    });
    const error = await failure(fetchSources(manifest, registry, store, { offline: true }));
    expect(error.code).toBe('E_SOURCE_FETCH');
    expect(error.message).toContain(`${sha256(a)} ${server.url}/a`);
    expect(error.message).toContain(`${sha256(b)} ${server.url}/b`);
    expect(error.message).not.toContain(inline);
    expect(server.requests).toHaveLength(0);

    await fetchSources(manifest, registry, store);
    const offline = await fetchSources(manifest, registry, store, { offline: true });
    expect(offline.success).toBe(true);
  });

  it('reads v1 manifests (org.osbuild.files "urls") and inline items, lzma included', async () => {
    const data = content('v1', 1000);
    const server = await startServer({ '/v1': data });
    const { registry } = await sourceProject();
    const { store } = await tempStore();
    const v1 = manifestOf({ pipeline: {}, sources: { 'org.osbuild.files': { urls: { [sha256(data)]: `${server.url}/v1` } } } });
    expect((await fetchSources(v1, registry, store)).results.get('org.osbuild.curl')).toMatchObject([{ checksum: sha256(data), success: true }]);

    const text = 'inline text\n'.repeat(100);
    const { execFileSync } = await import('node:child_process');
    const lzma = execFileSync('xz', ['--format=lzma', '-c'], { input: text });
    const inline = manifestOf({
      version: '2',
      pipelines: [],
      sources: { 'org.osbuild.inline': { items: { [sha256(text)]: { encoding: 'lzma+base64', data: lzma.toString('base64') } } } },
    });
    await fetchSources(inline, registry, store);
    expect(readFileSync(store.sources.path(FILES, sha256(text)), 'utf8')).toBe(text);
  });

  it('names a source that no installed plugin provides', async () => {
    const { registry } = await sourceProject();
    const { store } = await tempStore();
    const manifest = manifestOf({ version: '2', pipelines: [], sources: { 'org.osbuild.curll': { items: {} } } });
    const error = await failure(fetchSources(manifest, registry, store));
    expect(error.code).toBe('E_PLUGIN_UNKNOWN');
    expect(error.message).toContain('org.osbuild.curll');
    expect(error.hint).toContain('org.osbuild.curl');
  });

  it('fetches many items in parallel with a bounded pool', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 40; i++) files[`/f${i}`] = content(`many-${i}`, 50_000);
    const server = await startServer(files);
    const { registry } = await sourceProject();
    const { store } = await tempStore();
    const items = Object.fromEntries(Object.entries(files).map(([path, data]) => [sha256(data), `${server.url}${path}`]));
    const result = await fetchSources(curlManifest(items), registry, store, { parallel: 4 });
    expect(result.results.get('org.osbuild.curl')!.every((r) => r.success && !r.cached)).toBe(true);
    for (const data of Object.values(files)) expect(statSync(store.sources.path(FILES, sha256(data))).size).toBe(50_000);
    expect(server.requests).toHaveLength(40);
  });
});

describe('the source plugins\' schemas', () => {
  it('accept osbuild\'s item shapes and reject what osbuild rejects', async () => {
    const { validateManifest, parsePyJson } = await import('@osbuild-ts/core');
    const { registry } = await sourceProject();
    const check = (sources: unknown) => validateManifest(parsePyJson(JSON.stringify({ version: '2', pipelines: [], sources })), registry).map((i) => i.path.join('.'));
    const sum = sha256('x');
    expect(check({ 'org.osbuild.curl': { items: { [sum]: 'http://127.0.0.1/x', [sha256('y')]: { url: 'http://127.0.0.1/y', insecure: true } } } })).toEqual([]);
    expect(check({ 'org.osbuild.inline': { items: { [sum]: { encoding: 'lzma+base64', data: '' } } } })).toEqual([]);
    expect(check({ 'org.osbuild.curl': { items: { [sum]: { url: 'http://127.0.0.1/x', mirror: 'm' } } } })).not.toEqual([]);
    expect(check({ 'org.osbuild.curl': { items: { 'not-a-checksum': 'http://127.0.0.1/x' } } })).not.toEqual([]);
    expect(check({ 'org.osbuild.curl': { items: {}, options: {} } })).toEqual(['sources.org.osbuild.curl.options']);
    expect(check({ 'org.osbuild.inline': { items: { [sum]: { encoding: 'gzip', data: '' } } } })).not.toEqual([]);
  });
});
