import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as testing from '../src/testing.js';
import { breakOff, closedPort, startTestServer } from '../src/testing.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Set when the connection broke before the promised length arrived. */
  broken?: true;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        res.on('error', () => resolve({ status: res.statusCode!, headers: res.headers, body, broken: true }));
      })
      .on('error', reject);
  });
}

describe('@osbuild-ts/source-kit/testing', () => {
  it('exports exactly its API', () => {
    expect(Object.keys(testing).sort()).toEqual(['breakOff', 'closedPort', 'parseMessage', 'runSourceLocally', 'startTestServer']);
  });
});

describe('startTestServer', () => {
  it('serves files by decoded path, then a directory below it, 404 otherwise, and records every request', async () => {
    const root = mkdtempSync(join(tmpdir(), 'test-server-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'a b'));
    writeFileSync(join(root, 'a b', 'f'), 'from disk');
    writeFileSync(join(root, 'shadowed'), 'disk');
    const server = await startTestServer({ root, files: { '/shadowed': 'memory', '/x+y': Buffer.from('plus') } });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await get(`${server.url}/a%20b/f?q=1`, { 'user-agent': 'tester' })).toMatchObject({ status: 200, body: 'from disk', headers: { 'accept-ranges': 'bytes' } });
    expect((await get(`${server.url}/shadowed`)).body).toBe('memory');
    expect((await get(`${server.url}/x+y`)).body).toBe('plus');
    expect((await get(`${server.url}/a%20b`)).status).toBe(404);
    expect((await get(`${server.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    server.files.set('/late', Buffer.from('added'));
    expect((await get(`${server.url}/late`)).body).toBe('added');
    expect(server.requests[0]).toEqual({ method: 'GET', url: '/a%20b/f?q=1', path: '/a b/f', headers: expect.objectContaining({ 'user-agent': 'tester' }), userAgent: 'tester' });
    expect(server.requests.map((r) => r.path)).toEqual(['/a b/f', '/shadowed', '/x+y', '/a b', '/../../etc/passwd', '/late']);
  });

  it('honours Range unless If-Range names another version; without ranges it always sends all', async () => {
    const server = await startTestServer({ files: { '/f': '0123456789' } });
    const full = await get(`${server.url}/f`);
    const etag = full.headers.etag!;
    expect(await get(`${server.url}/f`, { range: 'bytes=4-', 'if-range': etag })).toMatchObject({ status: 206, body: '456789', headers: { 'content-range': 'bytes 4-9/10' } });
    expect(await get(`${server.url}/f`, { range: 'bytes=4-', 'if-range': '"other"' })).toMatchObject({ status: 200, body: '0123456789' });
    expect(await get(`${server.url}/f`, { range: 'bytes=10-' })).toMatchObject({ status: 200, body: '0123456789' });
    expect(server.requests.slice(1).map((r) => [r.range, r.ifRange])).toEqual([['bytes=4-', etag], ['bytes=4-', '"other"'], ['bytes=10-', undefined]]);

    const plain = await startTestServer({ files: { '/f': '0123456789' }, ranges: false });
    const answer = await get(`${plain.url}/f`, { range: 'bytes=4-' });
    expect(answer).toMatchObject({ status: 200, body: '0123456789' });
    expect(answer.headers['accept-ranges']).toBeUndefined();
  });

  it('breaks responses off mid-file as often as told, resumable from there', async () => {
    const server = await startTestServer({ files: { '/big': 'x'.repeat(100_000) } });
    server.drops.set('/big', { bytes: 1000, times: 1 });
    const cut = await get(`${server.url}/big`);
    expect(cut).toMatchObject({ status: 200, broken: true, body: 'x'.repeat(1000) });
    expect(await get(`${server.url}/big`, { range: 'bytes=1000-', 'if-range': cut.headers.etag! })).toMatchObject({ status: 206, body: 'x'.repeat(99_000) });
    expect(server.drops.get('/big')).toEqual({ bytes: 1000, times: 0 });
  });

  it('lets a hook answer first (at once or later), and counts requests in progress', async () => {
    // The slow requests wait until all three have arrived.
    let arrived = 0;
    let release = () => {};
    const allThere = new Promise<void>((resolve) => (release = resolve));
    const server = await startTestServer({
      files: { '/slow': 'slow', '/cut': 'never whole' },
      before: async (_req, res, path) => {
        if (path === '/teapot') return void res.writeHead(418).end(), true;
        if (path === '/cut') {
          res.writeHead(200, { 'content-length': 100 });
          breakOff(res, 'part');
          return true;
        }
        if (path === '/slow') {
          if (++arrived === 3) release();
          await allThere;
        }
        return false;
      },
    });
    expect((await get(`${server.url}/teapot`)).status).toBe(418);
    expect(await get(`${server.url}/cut`)).toMatchObject({ broken: true, body: 'part' });
    expect(server.maxConcurrent).toBe(1);
    const answers = await Promise.all([get(`${server.url}/slow`), get(`${server.url}/slow`), get(`${server.url}/slow`)]);
    expect(answers.map((a) => a.body)).toEqual(['slow', 'slow', 'slow']);
    expect(server.maxConcurrent).toBe(3);
  });

  it('closes once, by hand or at the end of the test; closedPort refuses connections', async () => {
    const server = await startTestServer();
    await server.close();
    await server.close();
    await expect(get(server.url)).rejects.toThrow(/ECONNREFUSED/);
    await expect(get(`http://127.0.0.1:${await closedPort()}/`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
