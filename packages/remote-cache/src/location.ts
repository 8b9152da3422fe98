/** Where a remote cache lives: `https://HOST[:PORT]/REPO` (or `http://` on loopback, or when allowed). */
import { isIP } from 'node:net';

export interface CacheLocation {
  /** `https://host:port` (no path). */
  readonly origin: string;
  /** host[:port], as auth files key it. */
  readonly host: string;
  /** The repository path (`team/osbuild-cache`). */
  readonly repository: string;
  readonly insecure: boolean;
}

export class RemoteCacheUsageError extends Error {
  override readonly name = 'RemoteCacheUsageError';
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function isLoopback(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1';
  return false;
}

/**
 * Parses `--remote-cache`. Plain http is refused unless the host is a
 * loopback address or `allowInsecure` is set: cache objects become build
 * trees, so whoever can change them in transit controls what is built.
 */
export function parseCacheLocation(text: string, options: { allowInsecure?: boolean } = {}): CacheLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RemoteCacheUsageError(`--remote-cache: not a URL: ${JSON.stringify(text)} (expected https://HOST[:PORT]/REPOSITORY)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RemoteCacheUsageError(`--remote-cache: ${url.protocol} is not supported (expected https://HOST[:PORT]/REPOSITORY)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new RemoteCacheUsageError('--remote-cache: credentials do not belong in the URL; use a docker/podman auth file (see docs/remote-cache.md)');
  }
  if (url.search !== '' || url.hash !== '') throw new RemoteCacheUsageError(`--remote-cache: ${text} has a query or fragment`);
  const repository = url.pathname.replace(/^\/+|\/+$/g, '');
  if (!REPOSITORY.test(repository)) {
    throw new RemoteCacheUsageError(`--remote-cache: ${JSON.stringify(repository)} is not a repository name (lower-case path components, e.g. https://registry.example/ci/osbuild-cache)`);
  }
  const insecure = url.protocol === 'http:';
  if (insecure && !isLoopback(url.hostname) && options.allowInsecure !== true) {
    throw new RemoteCacheUsageError(
      `--remote-cache: plain http to ${url.host} is refused (only loopback addresses may use http); use https, or pass --remote-cache-allow-http if the network is trusted`,
    );
  }
  return { origin: url.origin, host: url.host, repository, insecure };
}
