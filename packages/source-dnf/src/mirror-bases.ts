/**
 * Where a mirror id's files are: the base URLs of the repository, in the
 * order to try them. A `baseurl` is one; a `mirrorlist` or `metalink` is
 * fetched (through the overrides' mirror rules, like any URL) and read. A
 * metalink's hashes say which `repomd.xml` is current: mirrors that serve
 * another one are still synchronising and are tried last.
 */
import { createHash } from 'node:crypto';
import { candidateUrls, fetchDocument, type Agents, type DownloadOverrides } from '@osbuild-ts/source-kit/download';
import { sortByConnectTime } from './fastest-mirror.js';
import { joinUrl } from './join-url.js';
import { parseMirrorlist } from './mirrorlist.js';
import type { Mirror } from './options.js';

export interface MirrorContext {
  overrides: DownloadOverrides;
  agents: Agents;
  userAgent: string;
  tmp: string;
  offline: boolean;
  log(line: string): void;
}

/** Why a mirror's bases could not be found; `offline` when only the network could have told. */
export class MirrorError extends Error {
  constructor(
    message: string,
    readonly reason: 'fetch' | 'offline',
  ) {
    super(message);
  }
}

export interface MirrorBases {
  /** Repository base URLs, in the order to try them. */
  bases: string[];
  /** A metalink's digests of the current `repomd.xml` (algorithm → hex), newest first; empty for the other types. */
  repomdHashes: Record<string, string>[];
}

export async function mirrorBases(mirror: Mirror, ctx: MirrorContext): Promise<MirrorBases> {
  if (mirror.type === 'baseurl') return { bases: [mirror.url], repomdHashes: [] };
  const text = (await fetchList(mirror, ctx)).toString('utf8');
  let bases: string[];
  let repomdHashes: Record<string, string>[] = [];
  if (mirror.type === 'mirrorlist') {
    bases = parseMirrorlist(text);
  } else {
    let metalink;
    try {
      // The XML parser costs tens of milliseconds to load: only metalinks need it.
      const { parseMetalink } = await import('./metalink.js');
      metalink = parseMetalink(text, `mirror ${mirror.id}: metalink ${mirror.url}`);
    } catch (error) {
      throw new MirrorError((error as Error).message, 'fetch');
    }
    repomdHashes = metalink.hashes;
    bases = repomdHashes.length > 0 && !ctx.offline ? await currentFirst(metalink.bases, repomdHashes, mirror, ctx) : metalink.bases;
  }
  if (bases.length === 0) throw new MirrorError(`mirror ${mirror.id}: ${mirror.type} ${mirror.url} lists no http, https or file URL`, 'fetch');
  if (mirror.fastestMirror && !ctx.offline) bases = await sortByConnectTime(bases, Math.min(ctx.overrides.connectTimeout * 1000, 5000));
  return { bases, repomdHashes };
}

/** Whether `bytes` are a `repomd.xml` the metalink lists (true when it lists none). */
export function isCurrentRepomd(bytes: Buffer, repomdHashes: Record<string, string>[]): { ok: boolean; actual: string } {
  const algorithm = strongestAlgorithm(repomdHashes);
  if (algorithm === undefined) return { ok: true, actual: '' };
  const digest = createHash(algorithm).update(bytes).digest('hex');
  return { ok: repomdHashes.some((h) => h[algorithm] === digest), actual: `${algorithm}:${digest}` };
}

async function fetchList(mirror: Mirror, ctx: MirrorContext): Promise<Buffer> {
  let urls = candidateUrls(mirror.url, ctx.overrides);
  if (ctx.offline) urls = urls.filter((url) => /^file:/i.test(url));
  if (urls.length === 0) {
    throw ctx.offline
      ? new MirrorError(`offline: mirror ${mirror.id} is a ${mirror.type}, and ${mirror.url} needs the network`, 'offline')
      : new MirrorError(`mirror ${mirror.id}: no mirror rule matches ${mirror.url} and the overrides say "original": false`, 'fetch');
  }
  const errors: string[] = [];
  for (const url of urls) {
    try {
      return await fetchDocument(url, { overrides: ctx.overrides, agents: ctx.agents, userAgent: ctx.userAgent, tmp: ctx.tmp, insecure: mirror.insecure });
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  throw new MirrorError(`mirror ${mirror.id}: cannot fetch its ${mirror.type}: ${errors.join('; ')}`, 'fetch');
}

/**
 * Probes the mirrors in order for `repodata/repomd.xml` until one serves a
 * file the metalink lists; the ones before it that served another (or
 * nothing) go last. Usually one small request. If none matches, the order
 * stays: the items' own checksums decide in the end.
 */
async function currentFirst(bases: string[], hashes: Record<string, string>[], mirror: Mirror, ctx: MirrorContext): Promise<string[]> {
  const behind: string[] = [];
  const once = { ...ctx.overrides, rounds: 1 };
  for (const [index, base] of bases.entries()) {
    const url = joinUrl(base, 'repodata/repomd.xml');
    let check: { ok: boolean; actual: string };
    try {
      check = isCurrentRepomd(await fetchDocument(url, { overrides: once, agents: ctx.agents, userAgent: ctx.userAgent, tmp: ctx.tmp, insecure: mirror.insecure }), hashes);
    } catch (error) {
      ctx.log(`mirror ${mirror.id}: ${base} tried last: ${(error as Error).message}`);
      behind.push(base);
      continue;
    }
    if (check.ok) return [base, ...bases.slice(index + 1), ...behind];
    ctx.log(`mirror ${mirror.id}: ${base} tried last: its repomd.xml (${check.actual}) is not one the metalink lists`);
    behind.push(base);
  }
  ctx.log(`mirror ${mirror.id}: no mirror serves a repomd.xml the metalink lists; trying them in the metalink's order`);
  return bases;
}

const STRENGTH = ['sha512', 'sha384', 'sha256', 'sha1', 'md5'];

/** The strongest algorithm a set of metalink hashes offers. */
function strongestAlgorithm(hashes: Record<string, string>[]): string | undefined {
  return STRENGTH.find((algorithm) => hashes.some((h) => h[algorithm] !== undefined));
}
