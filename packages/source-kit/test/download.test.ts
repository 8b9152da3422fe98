import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as download from '../src/download/index.js';
import { createAgents, createHostHealth, downloadItem, fetchDocument, parseDownloadOverrides, transferError } from '../src/download/index.js';
import { createLimiter } from '../src/index.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'source-kit-download-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(handler: http.RequestListener): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function context() {
  const agents = createAgents(2);
  onTestFinished(() => agents.destroy());
  const overrides = parseDownloadOverrides({ rounds: 2, backoff: [0.01, 0.01] }, { source: 'test' });
  return { overrides, agents, userAgent: 'test', tmp: tempDir() };
}

describe('@osbuild-ts/source-kit/download', () => {
  it('exports exactly its API', () => {
    expect(Object.keys(download).sort()).toEqual(
      ['asTransferError', 'candidateUrls', 'createAgents', 'createHostHealth', 'downloadContext', 'downloadItem', 'fetchDocument', 'isTransferError', 'parseDownloadOverrides', 'quotePath', 'quoteUrl', 'transferError', 'userAgent'].sort(),
    );
  });

  it('overrides name the source they belong to, and read its proxy variable only if it has one', () => {
    expect(() => parseDownloadOverrides({ nope: 1 }, { source: 'org.osbuild.librepo' })).toThrow('source overrides for org.osbuild.librepo: unknown key "nope"');
    expect(parseDownloadOverrides({}, { source: 'x', env: { P: '127.0.0.1:1' } }).proxy).toBeUndefined();
    expect(parseDownloadOverrides({}, { source: 'x', proxyVariable: 'P', env: { P: '127.0.0.1:1' } }).proxy).toBe('http://127.0.0.1:1');
  });

  it('fetchDocument: the bytes of a small unchecksummed document; a 404 is final and named', async () => {
    const server = await serve((req, res) => (req.url === '/list' ? res.end('a\nb\n') : res.writeHead(404).end()));
    const ctx = context();
    expect((await fetchDocument(`${server.url}/list`, ctx)).toString()).toBe('a\nb\n');
    await expect(fetchDocument(`${server.url}/none`, ctx)).rejects.toMatchObject({ message: `cannot fetch ${server.url}/none: HTTP 404 Not Found`, permanent: true, status: 404 });
    expect(server.requests.filter((u) => u === '/none')).toHaveLength(1);
    await expect(fetchDocument(`${server.url}/list`, { ...ctx, maxBytes: 2 })).rejects.toThrow('larger than 2 bytes');
  });

  it('downloadItem: an item already in the cache is reported cached without a request', async () => {
    const server = await serve((_req, res) => res.end('x'));
    const cache = tempDir();
    const checksum = 'sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881';
    writeFileSync(join(cache, checksum), 'x');
    const report = { progress: () => undefined, item: () => undefined, log: () => undefined };
    const outcome = await downloadItem({ checksum, urls: [`${server.url}/x`], label: 'x' }, { ...context(), cache, offline: false, report });
    expect(outcome).toEqual({ checksum, success: true, cached: true });
    expect(server.requests).toEqual([]);
  });

  it('host health: a host that did not answer goes last for everyone; one that answered with an error does not', () => {
    const health = createHostHealth();
    const urls = ['http://a:1/x', 'http://b:2/x', 'file:///x'];
    expect(health.order(urls)).toEqual(urls);
    health.failed('http://a:1/y', transferError('connect ECONNREFUSED', false), false);
    expect(health.order(urls)).toEqual(['http://b:2/x', 'file:///x', 'http://a:1/x']);
    health.failed('http://b:2/y', transferError('HTTP 503', false, undefined, 503), false);
    health.failed('file:///y', transferError('no such file', true), false);
    expect(health.order(urls)).toEqual(['http://b:2/x', 'file:///x', 'http://a:1/x']);
    health.succeeded('http://a:1/z');
    expect(health.order(urls)).toEqual(urls);
  });
});

describe('createLimiter', () => {
  it('never runs more than its limit at once, across callers', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    await Promise.all(Array.from({ length: 9 }, () => limit(task)));
    expect(most).toBe(2);
    expect(running).toBe(0);
    await expect(limit(async () => 'done')).resolves.toBe('done');
  });
});
