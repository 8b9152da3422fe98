/**
 * One transfer of one URL into an item's partial file: http and https
 * (through an http proxy when configured: absolute-form requests for http,
 * a CONNECT tunnel for https) and file. A partial file that already holds
 * bytes is continued with a `Range` request; a server that answers with the
 * whole file (200) starts it over.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { Agents } from './agents.js';
import type { DownloadOverrides } from './overrides.js';
import { emptyPartialFile, type PartialFile } from './partial-file.js';
import { receiveBody } from './receive-body.js';
import { watchSpeed, type SpeedWatch } from './speed-watch.js';
import { asTransferError, transferError } from './transfer-error.js';

export interface TransferContext {
  overrides: Pick<DownloadOverrides, 'proxy' | 'connectTimeout' | 'speedLimit' | 'speedTime'>;
  insecure: boolean;
  agents: Agents;
  userAgent: string;
  /** Bytes of the item so far, and its size when known. */
  onBytes(bytes: number, total: number | undefined): void;
}

const MAX_REDIRECTS = 50; // curl's default

export async function transfer(url: string, partial: PartialFile, ctx: TransferContext): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw transferError(`not a URL: ${url}`, true);
  }
  if (parsed.protocol === 'file:') return transferFile(parsed, partial, ctx);
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return transferHttp(parsed, url, partial, ctx);
  throw transferError(`unsupported URL scheme ${parsed.protocol} (http, https and file are)`, true);
}

async function transferFile(url: URL, partial: PartialFile, ctx: TransferContext): Promise<void> {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch (error) {
    throw transferError(`${url.href}: ${(error as Error).message}`, true);
  }
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isFile()) throw transferError(`${path}: no such file`, true);
  if (partial.bytes > info.size) await emptyPartialFile(partial);
  await receiveBody(createReadStream(path, { start: partial.bytes, highWaterMark: 1 << 20 }), partial, info.size, ctx, null);
}

async function transferHttp(start: URL, requested: string, partial: PartialFile, ctx: TransferContext): Promise<void> {
  let url = start;
  for (let redirects = 0; ; ) {
    const resumeFrom = partial.bytes;
    const headers: OutgoingHttpHeaders = { 'user-agent': ctx.userAgent, accept: '*/*' };
    if (resumeFrom > 0) {
      headers['range'] = `bytes=${resumeFrom}-`;
      if (partial.validator?.url === requested) headers['if-range'] = partial.validator.value;
    }
    let watch: SpeedWatch | null = null;
    const response = await request(url, headers, ctx, (w) => (watch = w));
    const stop = () => (watch as SpeedWatch | null)?.stop();
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && status !== 304 && location !== undefined) {
      response.resume();
      stop();
      if (++redirects > MAX_REDIRECTS) throw transferError(`more than ${MAX_REDIRECTS} redirects (a redirect loop?), the last to ${new URL(location, url).href}`, true);
      const from = url;
      url = new URL(location, url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw transferError(`redirected to ${url.href}: only http and https redirects are followed`, true);
      // Redirect policy: other hosts are followed (mirrors hand out CDNs; the checksum judges the bytes), a step down from https to http is not.
      if (from.protocol === 'https:' && url.protocol === 'http:') throw transferError(`redirected from https to ${url.href}: refused, a redirect may not leave https (redirects to other hosts are followed)`, true);
      continue;
    }
    if (status === 416 && resumeFrom > 0) {
      // The range is past the end: what we hold is not a prefix of this file. Start over.
      response.resume();
      stop();
      await emptyPartialFile(partial);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      stop();
      // curl --fail: any error status fails; client errors other than timeouts and rate limits will not heal.
      const permanent = status >= 400 && status < 500 && status !== 408 && status !== 425 && status !== 429;
      throw transferError(`HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`, permanent, undefined, status);
    }
    let total = contentLength(response);
    if (status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers['content-range'] ?? '');
      if (range === null || Number(range[1]) !== resumeFrom) {
        response.destroy();
        stop();
        await emptyPartialFile(partial);
        continue;
      }
      total = range[3] === '*' ? (total === undefined ? undefined : resumeFrom + total) : Number(range[3]);
    } else if (resumeFrom > 0) {
      await emptyPartialFile(partial);
    }
    const validator = strongValidator(response);
    partial.validator = validator === undefined ? undefined : { url: requested, value: validator };
    try {
      await receiveBody(response, partial, total, ctx, watch);
    } finally {
      stop();
    }
    return;
  }
}

/** Resolves with the response headers; the speed watch starts with the request. */
function request(url: URL, headers: OutgoingHttpHeaders, ctx: TransferContext, onWatch: (watch: SpeedWatch) => void): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const proxy = ctx.overrides.proxy === undefined ? undefined : new URL(ctx.overrides.proxy);
    const proxyAuth: Record<string, string> = proxy?.username
      ? { 'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` }
      : {};
    const target = { hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || (secure ? 443 : 80), path: `${url.pathname}${url.search}` };
    const go = (makeRequest: () => http.ClientRequest) => {
      let req: http.ClientRequest;
      try {
        req = makeRequest();
      } catch (error) {
        reject(asTransferError(error));
        return;
      }
      const timer = setTimeout(() => req.destroy(new Error(`connection timed out after ${ctx.overrides.connectTimeout} s`)), ctx.overrides.connectTimeout * 1000);
      req.on('socket', (socket: Socket) => {
        if (!socket.connecting) clearTimeout(timer);
        else socket.once('connect', () => clearTimeout(timer));
      });
      let response: IncomingMessage | undefined;
      const watch = watchSpeed(ctx.overrides.speedLimit, ctx.overrides.speedTime, (error) => {
        req.destroy(error);
        response?.destroy(error);
      });
      onWatch(watch);
      req.on('error', (error) => {
        clearTimeout(timer);
        watch.stop();
        reject(asTransferError(error));
      });
      req.on('response', (received) => {
        clearTimeout(timer);
        response = received;
        resolve(received);
      });
      req.end();
    };

    if (proxy === undefined) {
      const agent = secure ? (ctx.insecure ? ctx.agents.httpsInsecure : ctx.agents.https) : ctx.agents.http;
      go(() => (secure ? https : http).request({ ...target, headers, agent, rejectUnauthorized: !ctx.insecure }));
    } else if (!secure) {
      go(() => http.request({ hostname: proxy.hostname, port: proxy.port || 80, path: url.href, headers: { ...headers, host: url.host, ...proxyAuth }, agent: ctx.agents.http }));
    } else {
      tunnel(proxy, target.hostname, Number(target.port), proxyAuth, ctx.overrides.connectTimeout).then(
        (socket) =>
          go(() =>
            https.request({
              ...target,
              headers,
              rejectUnauthorized: !ctx.insecure,
              createConnection: () =>
                tls.connect({ socket, rejectUnauthorized: !ctx.insecure, ...(isIP(target.hostname) ? {} : { servername: target.hostname }) }),
            }),
          ),
        (error: unknown) => reject(asTransferError(error)),
      );
    }
  });
}

/** A CONNECT tunnel through an http proxy. */
function tunnel(proxy: URL, host: string, port: number, auth: Record<string, string>, timeoutSeconds: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const authority = isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    const req = http.request({ hostname: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: authority, headers: { host: authority, ...auth } });
    const timer = setTimeout(() => req.destroy(new Error(`proxy connection timed out after ${timeoutSeconds} s`)), timeoutSeconds * 1000);
    req.on('connect', (response: IncomingMessage, socket: Socket) => {
      clearTimeout(timer);
      if (response.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(transferError(`proxy refused CONNECT ${authority}: HTTP ${response.statusCode}`, false));
      }
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}


function contentLength(response: IncomingMessage): number | undefined {
  const value = response.headers['content-length'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** ETag unless weak, else Last-Modified: what If-Range accepts. */
function strongValidator(response: IncomingMessage): string | undefined {
  const etag = response.headers.etag;
  if (etag !== undefined && !etag.startsWith('W/')) return etag;
  return response.headers['last-modified'];
}
