/**
 * A downloading source's section of the user's source overrides file (given
 * on the command line, never in the manifest): where to fetch from instead,
 * through which proxy, how hard to try. The manifest's URL is only a hint;
 * the checksum names the content, so any mirror that has the bytes will do.
 * `org.osbuild.curl` and `org.osbuild.librepo` share these keys.
 */

export interface MirrorRule {
  /** A prefix of the manifest's URL, as written. */
  from: string;
  /** Replacement prefixes, tried in order. */
  to: string[];
}

export interface DownloadOverrides {
  mirrors: MirrorRule[];
  /** Try the manifest's own URL after the mirrors (default true). */
  original: boolean;
  /** An `http://` proxy; default: the source's proxy variable, if it has one. */
  proxy: string | undefined;
  /** Passes over the candidate URLs before an item fails (osbuild: 10). */
  rounds: number;
  /** Seconds to wait before the second pass, doubling per pass up to the maximum. */
  backoff: { initial: number; max: number };
  /** Seconds to wait for a connection (curl's `connect-timeout`, osbuild: 30). */
  connectTimeout: number;
  /** Abort a transfer slower than `speedLimit` bytes/s over `speedTime` seconds (osbuild: 1000 B/s, 30 s). */
  speedLimit: number;
  speedTime: number;
  /** Skip TLS certificate checks for every item (an item's own `insecure` does it for that item). */
  insecure: boolean;
}

const KEYS = ['mirrors', 'original', 'proxy', 'rounds', 'backoff', 'connect-timeout', 'speed-limit', 'speed-time', 'insecure'];

export interface OverridesContext {
  /** The source type, for messages: `org.osbuild.curl`. */
  source: string;
  /** An environment variable naming the default proxy (curl: `OSBUILD_SOURCES_CURL_PROXY`). */
  proxyVariable?: string;
  env?: NodeJS.ProcessEnv;
}

export function parseDownloadOverrides(raw: unknown, { source, proxyVariable, env = process.env }: OverridesContext): DownloadOverrides {
  const where = `source overrides for ${source}`;
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where}: expected an object`);
  const doc = raw as Record<string, unknown>;
  const unknown = Object.keys(doc).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) throw new Error(`${where}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${KEYS.join(', ')})`);

  const number = (key: string, fallback: number, min: number): number => {
    const value = doc[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new Error(`${where}: "${key}" must be a number ≥ ${min}`);
    return value;
  };
  const boolean = (key: string, fallback: boolean): boolean => {
    const value = doc[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw new Error(`${where}: "${key}" must be true or false`);
    return value;
  };

  const mirrors: MirrorRule[] = [];
  const rawMirrors = doc['mirrors'] ?? [];
  if (!Array.isArray(rawMirrors)) throw new Error(`${where}: "mirrors" must be an array of {"from": prefix, "to": prefix | [prefix, …]}`);
  rawMirrors.forEach((rule: unknown, i) => {
    const r = rule as Record<string, unknown>;
    const to = typeof r?.['to'] === 'string' ? [r['to']] : r?.['to'];
    if (
      typeof rule !== 'object' || rule === null || typeof r['from'] !== 'string' || r['from'] === '' ||
      !Array.isArray(to) || to.length === 0 || !to.every((t) => typeof t === 'string' && t !== '') ||
      Object.keys(r).some((k) => k !== 'from' && k !== 'to')
    ) {
      throw new Error(`${where}: mirrors[${i}] must be {"from": prefix, "to": prefix | [prefix, …]}`);
    }
    mirrors.push({ from: r['from'], to: to as string[] });
  });

  const proxyValue = doc['proxy'] ?? ((proxyVariable && env[proxyVariable]) || undefined);
  if (proxyValue !== undefined) {
    if (typeof proxyValue !== 'string') throw new Error(`${where}: "proxy" must be a URL`);
    let proxy: URL;
    try {
      proxy = new URL(proxyValue.includes('://') ? proxyValue : `http://${proxyValue}`);
    } catch {
      throw new Error(`${where}: proxy ${JSON.stringify(proxyValue)} is not a URL`);
    }
    if (proxy.protocol !== 'http:') throw new Error(`${where}: proxy ${JSON.stringify(proxyValue)}: only http:// proxies are supported`);
  }

  let backoff = { initial: 0.25, max: 8 };
  if (doc['backoff'] !== undefined) {
    const b = doc['backoff'];
    if (!Array.isArray(b) || b.length !== 2 || !b.every((x) => typeof x === 'number' && x >= 0) || b[0] > b[1]) {
      throw new Error(`${where}: "backoff" must be [initial seconds, maximum seconds]`);
    }
    backoff = { initial: b[0] as number, max: b[1] as number };
  }

  return {
    mirrors,
    original: boolean('original', true),
    proxy: proxyValue === undefined ? undefined : (proxyValue as string).includes('://') ? (proxyValue as string) : `http://${proxyValue}`,
    rounds: Math.floor(number('rounds', 10, 1)),
    backoff,
    connectTimeout: number('connect-timeout', 30, 0.001),
    speedLimit: number('speed-limit', 1000, 0),
    speedTime: number('speed-time', 30, 0.001),
    insecure: boolean('insecure', false),
  };
}

/**
 * Where to look for an item, in order: each matching rule's replacements
 * (rules in file order), then the manifest's URL unless `original` is false
 * (then an item no rule matches has no candidate at all).
 */
export function candidateUrls(url: string, overrides: Pick<DownloadOverrides, 'mirrors' | 'original'>): string[] {
  const out: string[] = [];
  for (const rule of overrides.mirrors) {
    if (url.startsWith(rule.from)) for (const to of rule.to) out.push(to + url.slice(rule.from.length));
  }
  if (overrides.original) out.push(url);
  return [...new Set(out)];
}
