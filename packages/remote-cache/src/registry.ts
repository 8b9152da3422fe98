/**
 * A small OCI distribution client: what a cache needs and nothing more
 * (manifests by tag, blobs by digest, monolithic uploads), with the
 * registry auth flow (Basic, or Bearer tokens from the realm a 401 names),
 * retries with backoff on network errors, 429 and 5xx, and time limits, so a
 * slow registry ends in an error instead of a hung build.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { parseChallenge, type Credentials } from './auth.js';
import type { CacheLocation } from './location.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface RegistryOptions {
  location: CacheLocation;
  /** PEM text of extra CAs to trust (`--remote-cache-ca`). */
  ca?: string;
  credentials?: Credentials | null;
  /** Attempts after the first for a failing request (default 3). */
  retries?: number;
  /** No response headers within this time: the attempt fails (default 15 s). */
  timeoutMs?: number;
  /** Parallel connections to the registry (default 8). */
  connections?: number;
  /** First backoff delay (default 200 ms, doubled per attempt, ±50 % jitter). */
  backoffMs?: number;
  /**
   * Until the registry has answered once: no answer (connection and
   * response headers) within this time and the registry is taken as
   * unreachable, without retries; every later request fails at once
   * (default 4 s). A registry that accepts connections and never answers
   * then costs a build seconds, not the full timeouts and retries.
   */
  probeTimeoutMs?: number;
}

type Body = Buffer | string | Readable | null;

interface SendOptions {
  method: Dispatcher.HttpMethod;
  /** Path below the origin, or an absolute URL (upload locations). */
  path: string;
  headers?: Record<string, string>;
  /** Made afresh per attempt (a stream cannot be replayed). */
  body?: () => Body;
  push?: boolean;
  /** Statuses that are answers, not failures. */
  ok: readonly number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RegistryClient {
  readonly location: CacheLocation;
  private readonly agent: Agent;
  private readonly retries: number;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly credentials: Credentials | null;
  private readonly tokens = new Map<string, string>();
  private basic: string | null = null;
  private readonly probeTimeoutMs: number;
  /** The registry answered a request (any HTTP status) in this run. */
  private answered = false;
  /** Set when the first requests got no answer in time: every request fails with it. */
  private unreachable: RegistryError | null = null;

  constructor(options: RegistryOptions) {
    this.location = options.location;
    this.retries = options.retries ?? 3;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.backoffMs = options.backoffMs ?? 200;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 4_000;
    this.credentials = options.credentials ?? null;
    this.agent = new Agent({
      connections: options.connections ?? 8,
      headersTimeout: this.timeoutMs,
      bodyTimeout: Math.max(this.timeoutMs, 30_000),
      connect: { timeout: Math.min(this.timeoutMs, 10_000), ...(options.ca === undefined ? {} : { ca: options.ca }) },
    });
  }

  private repoPath(rest: string): string {
    return `/v2/${this.location.repository}/${rest}`;
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  /** One request, with auth and retries; the body of an answer in `ok` is the caller's to consume. */
  async send(options: SendOptions): Promise<Dispatcher.ResponseData> {
    const url = /^https?:\/\//.test(options.path) ? options.path : `${this.location.origin}${options.path}`;
    const scope = `repository:${this.location.repository}:${options.push === true ? 'pull,push' : 'pull'}`;
    let authRetried = false;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...options.headers };
      const token = this.tokens.get(scope);
      if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
      else if (this.basic !== null) headers['authorization'] = this.basic;
      if (this.unreachable !== null) throw this.unreachable;
      const probing = !this.answered;
      const probe = probing ? new AbortController() : null;
      let timedOut = false;
      const timer = probe === null ? undefined : setTimeout(() => ((timedOut = true), probe.abort()), this.probeTimeoutMs);
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          method: options.method,
          headers,
          body: options.body?.() ?? null,
          dispatcher: this.agent,
          maxRedirections: options.method === 'GET' || options.method === 'HEAD' ? 5 : 0,
          ...(probe === null ? {} : { signal: probe.signal }),
        });
      } catch (error) {
        if (timedOut && !this.answered) {
          this.unreachable ??= new RegistryError(`${options.method} ${url}: no answer within ${this.probeTimeoutMs / 1000} s`, null);
          throw this.unreachable;
        }
        if (attempt >= this.retries) throw new RegistryError(`${options.method} ${url}: ${describe(error)}`, null);
        await sleep(this.delay(attempt));
        continue;
      } finally {
        clearTimeout(timer);
      }
      this.answered = true;
      const { statusCode } = response;
      if (statusCode === 401 && !authRetried) {
        authRetried = true;
        const header = response.headers['www-authenticate'];
        await response.body.dump();
        await this.authenticate(Array.isArray(header) ? header[0] : header, scope);
        attempt--;
        continue;
      }
      if (options.ok.includes(statusCode)) return response;
      const text = await response.body.text().catch(() => '');
      const retryable = statusCode === 429 || statusCode >= 500;
      if (!retryable || attempt >= this.retries) {
        throw new RegistryError(`${options.method} ${url}: HTTP ${statusCode}${errorText(text)}`, statusCode);
      }
      const after = Number(response.headers['retry-after']);
      await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 10_000) : this.delay(attempt));
    }
  }

  private delay(attempt: number): number {
    return this.backoffMs * 2 ** attempt * (0.5 + Math.random());
  }

  private async authenticate(header: string | undefined, scope: string): Promise<void> {
    const challenge = header === undefined ? null : parseChallenge(header);
    const creds = this.credentials;
    const basic = creds === null ? null : `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    if (challenge?.scheme === 'basic') {
      if (basic === null) throw new RegistryError(`${this.location.host} asks for a login and no auth file has credentials for it (podman login / docker login)`, 401);
      this.basic = basic;
      return;
    }
    if (challenge?.scheme !== 'bearer' || challenge.params['realm'] === undefined) {
      throw new RegistryError(`${this.location.host} refused the request (HTTP 401) without a usable WWW-Authenticate challenge`, 401);
    }
    const realm = new URL(challenge.params['realm']);
    if (challenge.params['service'] !== undefined) realm.searchParams.set('service', challenge.params['service']);
    realm.searchParams.set('scope', scope);
    const response = await request(realm, {
      method: 'GET',
      headers: basic === null ? {} : { authorization: basic },
      dispatcher: this.agent,
    }).catch((error: unknown) => {
      throw new RegistryError(`token request to ${realm.origin} failed: ${describe(error)}`, null);
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new RegistryError(`token request to ${realm.origin} for ${scope}: HTTP ${response.statusCode}${basic === null ? ' (no credentials in any auth file)' : ''}`, response.statusCode);
    }
    const doc = (await response.body.json()) as { token?: string; access_token?: string };
    const token = doc.token ?? doc.access_token;
    if (typeof token !== 'string' || token === '') throw new RegistryError(`token response of ${realm.origin} has no token`, null);
    this.tokens.set(scope, token);
  }

  /** The manifest tagged `tag`, or null when the tag does not exist. */
  async getManifest(tag: string): Promise<{ manifest: OciManifest; bytes: Buffer; digest: string } | null> {
    const response = await this.send({ method: 'GET', path: this.repoPath(`manifests/${tag}`), headers: { accept: OCI_MANIFEST }, ok: [200, 404] });
    if (response.statusCode === 404) {
      await response.body.dump();
      return null;
    }
    const bytes = Buffer.from(await response.body.arrayBuffer());
    let manifest: OciManifest;
    try {
      manifest = JSON.parse(bytes.toString('utf8')) as OciManifest;
    } catch {
      throw new RegistryError(`the manifest tagged ${tag} is not JSON`, null);
    }
    return { manifest, bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
  }

  async hasManifest(tag: string): Promise<boolean> {
    const response = await this.send({ method: 'HEAD', path: this.repoPath(`manifests/${tag}`), headers: { accept: OCI_MANIFEST }, ok: [200, 404] });
    await response.body.dump();
    return response.statusCode === 200;
  }

  async putManifest(tag: string, bytes: Buffer): Promise<void> {
    const response = await this.send({
      method: 'PUT',
      path: this.repoPath(`manifests/${tag}`),
      headers: { 'content-type': OCI_MANIFEST },
      body: () => bytes,
      push: true,
      ok: [201, 200],
    });
    await response.body.dump();
  }

  async hasBlob(digest: string): Promise<boolean> {
    const response = await this.send({ method: 'HEAD', path: this.repoPath(`blobs/${digest}`), ok: [200, 404] });
    await response.body.dump();
    return response.statusCode === 200;
  }

  /** The blob's bytes as they arrive (not yet verified: the caller hashes them). */
  async blobStream(digest: string): Promise<Readable> {
    const response = await this.send({ method: 'GET', path: this.repoPath(`blobs/${digest}`), ok: [200] });
    return response.body;
  }

  /** A small blob, verified against its digest. */
  async blobBytes(digest: string, limit = 64 << 20): Promise<Buffer> {
    const body = await this.blobStream(digest);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        body.destroy();
        throw new RegistryError(`blob ${digest} is larger than ${limit} bytes`, null);
      }
      chunks.push(chunk as Buffer);
    }
    const bytes = Buffer.concat(chunks);
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (actual !== digest) throw new DigestMismatch(digest, actual);
    return bytes;
  }

  /** Uploads a blob in one PUT unless the registry has it. True when it was uploaded. */
  async uploadBlob(digest: string, size: number, body: () => Buffer | Readable): Promise<boolean> {
    if (await this.hasBlob(digest)) return false;
    const start = await this.send({ method: 'POST', path: this.repoPath('blobs/uploads/'), push: true, ok: [202] });
    await start.body.dump();
    const location = start.headers['location'];
    if (typeof location !== 'string') throw new RegistryError('the registry started an upload without a Location', start.statusCode);
    const target = new URL(location, this.location.origin);
    target.searchParams.set('digest', digest);
    const put = await this.send({
      method: 'PUT',
      path: target.toString(),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body,
      push: true,
      ok: [201],
    });
    await put.body.dump();
    return true;
  }
}

export class DigestMismatch extends Error {
  override readonly name = 'DigestMismatch';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`blob ${expected} arrived with digest ${actual}: the registry's copy is corrupt`);
  }
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface OciManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return [code, error.message, cause?.code ?? cause?.message].filter((x) => x !== undefined && x !== '').join(': ');
  }
  return String(error);
}

function errorText(text: string): string {
  try {
    const doc = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const first = doc.errors?.[0];
    if (first !== undefined) return ` (${[first.code, first.message].filter(Boolean).join(': ')})`;
  } catch {
    // not a registry error document
  }
  return text.trim() === '' ? '' : ` (${text.trim().slice(0, 200)})`;
}
