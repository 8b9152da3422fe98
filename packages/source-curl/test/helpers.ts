import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
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

/**
 * For `startTestServer({tls: TLS})`: fixtures/{cert,key}.pem, a self-signed
 * certificate for IP 127.0.0.1, made for these tests only.
 */
export const TLS = {
  key: readFileSync(join(import.meta.dirname, 'fixtures', 'key.pem')),
  cert: readFileSync(join(import.meta.dirname, 'fixtures', 'cert.pem')),
};

export interface Proxied {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/** A forward proxy: absolute-form requests for http, CONNECT tunnels for https. */
export async function proxy(): Promise<{ url: string; port: number; requests: Proxied[] }> {
  const requests: Proxied[] = [];
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    // Tunnels leave the server's bookkeeping: close them with it.
    tunnels.forEach((socket) => socket.destroy());
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const port = (server.address() as net.AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, requests };
}
