/**
 * Issue #24: servers that misbehave. Real sockets on 127.0.0.1 (a raw TCP
 * server where the HTTP must be wrong on purpose), the real download engine
 * that org.osbuild.curl and org.osbuild.librepo share. Each case ends in a
 * success after a retry or in a clear error naming the item's URL; the
 * bound is the test's timeout with short speed and pass settings (what a
 * user sets through the source overrides).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createAgents, downloadItem, parseDownloadOverrides } from '../src/download/index.js';
import { startTestServer } from '../src/test-server.js';

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const BODY = Buffer.alloc(64 * 1024, 'abcdefgh');

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'source-kit-hostile-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A TCP server answering every request with what `reply` writes to the socket. */
async function rawServer(reply: (socket: net.Socket, request: string) => void): Promise<{ url: string; requests: number }> {
  const state = { url: '', requests: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      state.requests++;
      const request = head;
      head = '';
      reply(socket, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    sockets.forEach((s) => s.destroy());
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Writes `text` one byte every `ms` until the socket closes. */
function drip(socket: net.Socket, text: string, ms: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    socket.write(text[i++ % text.length]!);
  }, ms);
  socket.on('close', () => clearInterval(timer));
}

async function fetchItem(checksum: string, urls: string[], extra: { size?: number; overrides?: Record<string, unknown> } = {}) {
  const agents = createAgents(2);
  onTestFinished(() => agents.destroy());
  const overrides = parseDownloadOverrides({ rounds: 2, backoff: [0.01, 0.02], 'speed-limit': 1000, 'speed-time': 0.5, 'connect-timeout': 2, ...extra.overrides }, { source: 'org.osbuild.curl' });
  const cache = tempDir();
  const log: string[] = [];
  const report = { progress: () => undefined, item: () => undefined, log: (line: string) => void log.push(line) };
  const started = Date.now();
  const outcome = await downloadItem({ checksum, urls, label: urls[0]!, ...(extra.size === undefined ? {} : { size: extra.size }) }, { overrides, agents, userAgent: 'test', tmp: tempDir(), cache, offline: false, report });
  return { outcome, log, cache, seconds: (Date.now() - started) / 1000 };
}

describe('downloads from hostile servers', () => {
  it('slow-loris headers (a byte every 100 ms, never finished) fail as too slow, naming the URL', async () => {
    const server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      drip(socket, 'X-Slow: y\r\n', 100);
    });
    const url = `${server.url}/item`;
    const { outcome } = await fetchItem(sha256(BODY), [url]);
    expect(outcome).toMatchObject({ success: false, reason: 'fetch', url });
    expect(outcome.error).toBe(`could not fetch (2 passes): ${url}: transfer too slow: less than 1000 bytes/s for 0.5 s`);
    expect(server.requests).toBe(2);
  }, 20_000);

  it('a slow-loris body (a byte every 50 ms) is cut off, and the next mirror serves the item', async () => {
    const slow = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n`);
      drip(socket, 'abcdefgh', 50);
    });
    const good = await startTestServer({ files: { '/item': BODY } });
    const { outcome, log } = await fetchItem(sha256(BODY), [`${slow.url}/item`, `${good.url}/item`]);
    expect(outcome).toMatchObject({ success: true, url: `${good.url}/item` });
    expect(log).toContain(`Downloaded ${good.url}/item`);
  }, 20_000);

  it('a body truncated once is resumed with a Range request; truncated every time it fails naming the URL and what was missing', async () => {
    const once = await startTestServer({ files: { '/item': BODY } });
    once.drops.set('/item', { bytes: 1000, times: 1 });
    const healed = await fetchItem(sha256(BODY), [`${once.url}/item`]);
    expect(healed.outcome).toMatchObject({ success: true });
    expect(once.requests.map((r) => r.range ?? null)).toEqual([null, 'bytes=1000-']);
    expect(healed.log.some((l) => l.includes('resuming at byte 1000'))).toBe(true);

    const always = await startTestServer({ ranges: false, files: { '/item': BODY } });
    always.drops.set('/item', { bytes: 1000, times: Infinity });
    const url = `${always.url}/item`;
    const { outcome, cache } = await fetchItem(sha256(BODY), [url]);
    expect(outcome).toMatchObject({ success: false, reason: 'fetch', url });
    expect(outcome.error).toMatch(new RegExp(`^could not fetch \\(2 passes\\): ${url}: (the connection closed before the end of the body|aborted|transfer closed with \\d+ bytes remaining)`));
    expect(always.requests.length).toBeLessThanOrEqual(2 * 4); // per pass: one try and at most 3 resumptions
    expect(readdirSync(cache).filter((n) => n.startsWith('sha256:'))).toEqual([]);
  }, 20_000);

  it('a redirect loop ends at 50 redirects with an error naming the URL and the loop', async () => {
    const server = await startTestServer({
      before: (req, res) => {
        res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' }).end();
        return true;
      },
    });
    const url = `${server.url}/a`;
    const { outcome } = await fetchItem(sha256(BODY), [url]);
    expect(outcome.error).toBe(`could not fetch: ${url}: more than 50 redirects (a redirect loop?), the last to ${server.url}/b`);
    expect(server.requests).toHaveLength(51); // permanent: not tried again
  }, 20_000);

  it('redirect policy: to another host is followed (the checksum judges the bytes); from https down to http is refused', async () => {
    const other = await startTestServer({ files: { '/elsewhere': BODY } });
    const toIp = await startTestServer({
      before: (_req, res) => {
        res.writeHead(302, { location: `${other.url}/elsewhere` }).end();
        return true;
      },
    });
    const followed = await fetchItem(sha256(BODY), [`${toIp.url}/item`]);
    expect(followed.outcome).toMatchObject({ success: true, url: `${toIp.url}/item` });
    expect(other.requests.map((r) => r.path)).toEqual(['/elsewhere']);

    const { readFileSync } = await import('node:fs');
    const fixtures = join(import.meta.dirname, '..', '..', 'source-curl', 'test', 'fixtures');
    const tls = { key: readFileSync(join(fixtures, 'key.pem')), cert: readFileSync(join(fixtures, 'cert.pem')) };
    const secure = await startTestServer({
      tls,
      before: (_req, res) => {
        res.writeHead(302, { location: `${other.url}/elsewhere` }).end();
        return true;
      },
    });
    const url = `${secure.url}/item`;
    const { outcome } = await fetchItem(sha256(BODY), [url], { overrides: { insecure: true } });
    expect(outcome.error).toBe(`could not fetch: ${url}: redirected from https to ${other.url}/elsewhere: refused, a redirect may not leave https (redirects to other hosts are followed)`);
    expect(other.requests).toHaveLength(1); // not fetched over http
  }, 20_000);

  it('a body longer than its Content-Length, or a Content-Length that lies low, never passes as the item', async () => {
    const server = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n`);
      socket.end(BODY);
    });
    const url = `${server.url}/item`;
    const { outcome } = await fetchItem(sha256(BODY), [url]);
    expect(outcome).toMatchObject({ success: false, reason: 'verify', url, actual: sha256(BODY.subarray(0, 1000)) });
    expect(outcome.error).toBe(`checksum mismatch: ${url} served ${sha256(BODY.subarray(0, 1000))}, expected ${sha256(BODY)}`);
  }, 20_000);

  it('a Content-Length that lies high (the connection then closes or stalls) is retried and then named', async () => {
    const closes = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length * 2}\r\n\r\n`);
      socket.end(BODY);
    });
    const stalls = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length * 2}\r\n\r\n`);
      socket.write(BODY); // …and keeps the connection open
    });
    for (const [server, message] of [
      [closes, /the connection closed before the end of the body|aborted|transfer closed with/],
      [stalls, /transfer too slow/],
    ] as const) {
      const url = `${server.url}/item`;
      const { outcome } = await fetchItem(sha256(BODY), [url]);
      expect(outcome).toMatchObject({ success: false, reason: 'fetch', url });
      expect(outcome.error).toMatch(message);
      expect(outcome.error).toContain(url);
    }
  }, 30_000);

  it('with the item\'s size known, a larger announcement or an endless body is cut off at once and named', async () => {
    const announces = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length * 100}\r\n\r\n`);
      socket.write(BODY);
    });
    let sent = 0;
    const endless = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const more = () => {
        while (!socket.destroyed && sent < 1 << 30) {
          sent += BODY.length;
          if (!socket.write(`${BODY.length.toString(16)}\r\n${BODY.toString('latin1')}\r\n`, 'latin1')) return void socket.once('drain', more);
        }
      };
      more();
    });
    for (const [server, announced] of [
      [announces, ` (it announced ${BODY.length * 100})`],
      [endless, ''],
    ] as const) {
      const url = `${server.url}/item`;
      const { outcome } = await fetchItem(sha256(BODY), [url], { size: BODY.length });
      expect(outcome.error).toBe(`could not fetch: ${url}: the response is larger than the ${BODY.length} bytes expected of ${url}${announced}; cut off`);
      expect(server.requests).toBe(1);
    }
    expect(sent).toBeLessThan(64 << 20); // stopped long before a gigabyte
  }, 30_000);
});

describe('receiveBody', () => {
  it('fails at once, rather than waiting forever, on a body whose connection broke before it was handed over', async () => {
    const { PassThrough } = await import('node:stream');
    const { receiveBody } = await import('../src/download/receive-body.js');
    const { newPartialFile } = await import('../src/download/partial-file.js');
    const body = new PassThrough();
    body.write('some bytes');
    body.on('error', () => undefined); // as node's http client does for a response nobody listens to yet
    body.destroy(new Error('aborted'));
    await new Promise((resolve) => setImmediate(resolve)); // its 'error' and 'close' go by unheard
    const partial = newPartialFile(join(tempDir(), 'item'), 'sha256');
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('still waiting after 3 s')), 3000).unref()));
    await expect(Promise.race([receiveBody(body, partial, 100, { onBytes: () => undefined }, null), hung])).rejects.toThrow('aborted');
    clearTimeout(timer);
  });
});
