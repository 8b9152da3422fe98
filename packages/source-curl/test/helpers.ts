import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { runSourceLocally, type LocalSourceRun } from '@osbuild-ts/source-kit/testing';

export const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

export const checksum = (algorithm: string, data: Buffer | string) => `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
export const sha256 = (data: Buffer | string) => checksum('sha256', data);

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs the plugin with fast retries unless the test says otherwise. */
export function fetch(items: Record<string, unknown>, run: Partial<LocalSourceRun> = {}) {
  const cache = run.cache ?? tempDir('curl-cache-');
  return runSourceLocally({ entry, items, cache, ...run, overrides: { rounds: 3, backoff: [0.01, 0.02], ...run.overrides } });
}

export interface Served {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  url: string;
  port: number;
  requests: Served[];
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * An http (or, with `tls`, https) server on 127.0.0.1, closed when the test ends.
 * fixtures/{cert,key}.pem: a self-signed certificate for IP 127.0.0.1, made for these tests only.
 */
export async function serve(handler: Handler, { tls = false } = {}): Promise<TestServer> {
  const requests: Served[] = [];
  const wrapped: Handler = (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  };
  const fixtures = join(import.meta.dirname, 'fixtures');
  const server = tls
    ? https.createServer({ key: readFileSync(join(fixtures, 'key.pem')), cert: readFileSync(join(fixtures, 'cert.pem')) }, wrapped)
    : http.createServer(wrapped);
  await listen(server);
  const port = (server.address() as net.AddressInfo).port;
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port, requests };
}

/** Serves fixed bytes per path (404 otherwise), honouring `Range`. */
export function files(map: Record<string, Buffer | string>): Handler {
  return (req, res) => {
    const body = map[decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)];
    if (body === undefined) return void res.writeHead(404).end();
    const bytes = Buffer.from(body);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && Number(range[1]) < bytes.length) {
      const start = Number(range[1]);
      res.writeHead(206, { 'content-length': bytes.length - start, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
      return void res.end(bytes.subarray(start));
    }
    res.writeHead(200, { 'content-length': bytes.length });
    res.end(bytes);
  };
}

/** A forward proxy: absolute-form requests for http, CONNECT tunnels for https. */
export async function proxy(): Promise<TestServer> {
  const requests: Served[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const target = new URL(req.url ?? '');
    const upstream = http.request({ hostname: target.hostname, port: target.port, path: target.pathname + target.search, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  const tunnels = new Set<net.Socket>();
  server.on('connect', (req: IncomingMessage, socket: net.Socket, head: Buffer) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    tunnels.add(socket).add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  // Tunnels leave the server's bookkeeping: close them with it.
  await listen(server, () => tunnels.forEach((socket) => socket.destroy()));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, requests };
}

async function listen(server: http.Server | https.Server, closing = () => {}): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    closing();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
}

/** A port on 127.0.0.1 that refuses connections. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
