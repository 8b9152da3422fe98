/**
 * A file server on 127.0.0.1 for the tests of sources and of what runs them:
 * it serves bytes by path (and a directory), honours `Range` with an ETag
 * and `If-Range`, counts and records requests, and misbehaves on demand:
 * cut a response off mid-file, or answer a request its own way first.
 * Closed when the test ends (needs vitest).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join, normalize, sep } from 'node:path';
import { onTestFinished } from 'vitest';

export interface ServedRequest {
  method: string;
  /** As requested: percent-encoded, with the query. */
  url: string;
  /** Decoded, without the query: what `files` is keyed by. */
  path: string;
  headers: IncomingMessage['headers'];
  range?: string;
  ifRange?: string;
  userAgent?: string;
}

/** Answers a request before the files are looked at; true when it did. */
export type BeforeServing = (req: IncomingMessage, res: ServerResponse, path: string) => boolean | Promise<boolean>;

export interface TestServerOptions {
  /** Bytes by path (`/dir/file`); they win over `root`. */
  files?: Record<string, Buffer | string>;
  /** A directory served below `/`. */
  root?: string;
  /** Honour `Range: bytes=N-` (206, `If-Range` against the ETag) and say so; default true. */
  ranges?: boolean;
  /** Serve https with this key and certificate. */
  tls?: { key: Buffer | string; cert: Buffer | string };
  before?: BeforeServing;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`). */
  readonly url: string;
  readonly port: number;
  /** Every request, in order of arrival. */
  readonly requests: ServedRequest[];
  /** Most requests in progress at once. */
  readonly maxConcurrent: number;
  /** path → bytes served; a test may change them. */
  files: Map<string, Buffer>;
  /** path → how many of the next responses break off after `bytes` bytes. */
  drops: Map<string, { bytes: number; times: number }>;
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { root, ranges = true, before } = options;
  const files = new Map(Object.entries(options.files ?? {}).map(([path, body]) => [path, Buffer.from(body)]));
  const drops = new Map<string, { bytes: number; times: number }>();
  const requests: ServedRequest[] = [];
  let active = 0;
  let maxConcurrent = 0;

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(record(req, path));
    maxConcurrent = Math.max(maxConcurrent, ++active);
    res.on('close', () => active--);
    if (before !== undefined && (await before(req, res, path))) return;
    const body = files.get(path) ?? (root === undefined ? undefined : fileBelow(root, path));
    if (body === undefined) return void res.writeHead(404).end();
    const drop = drops.get(path);
    let cutAfter: number | undefined;
    if (drop !== undefined && drop.times > 0) {
      drop.times--;
      cutAfter = drop.bytes;
    }
    sendBytes(req, res, body, { ranges, cutAfter });
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => void answer(req, res).catch(() => res.destroy());
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  onTestFinished(close);
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    files,
    drops,
    close,
  };
}

function record(req: IncomingMessage, path: string): ServedRequest {
  const { range, 'if-range': ifRange, 'user-agent': userAgent } = req.headers;
  return {
    method: req.method ?? '',
    url: req.url ?? '',
    path,
    headers: req.headers,
    ...(range ? { range } : {}),
    ...(typeof ifRange === 'string' ? { ifRange } : {}),
    ...(userAgent ? { userAgent } : {}),
  };
}

/** A regular file below `root`; nothing outside it. */
function fileBelow(root: string, path: string): Buffer | undefined {
  const file = join(root, normalize(path));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) return undefined;
  try {
    return statSync(file).isFile() ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function sendBytes(req: IncomingMessage, res: ServerResponse, body: Buffer, { ranges, cutAfter }: { ranges: boolean; cutAfter: number | undefined }): void {
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  let start = 0;
  if (ranges && range && (ifRange === undefined || ifRange === etag) && Number(range[1]) < body.length) {
    start = Number(range[1]);
    res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, etag });
  } else {
    res.writeHead(200, { 'content-length': body.length, etag, ...(ranges ? { 'accept-ranges': 'bytes' } : {}) });
  }
  if (cutAfter === undefined) res.end(body.subarray(start));
  else breakOff(res, body.subarray(start, start + cutAfter));
}

/**
 * Sends `bytes` of a response whose head promised more, then drops the
 * connection: a transfer broken off mid-file. The pause lets the bytes
 * reach the client before the reset, which would discard them.
 */
export function breakOff(res: ServerResponse, bytes: Buffer | string): void {
  res.write(bytes, () => setTimeout(() => res.socket?.destroy(), 20));
}

/** A port on 127.0.0.1 with nothing listening: a mirror that is down. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
