/**
 * Downloads one item by checksum: tries each candidate URL in turn, for up
 * to `rounds` passes with a growing pause between passes; a transfer that
 * broke after making progress is resumed at once. The bytes are hashed as
 * they are written; only a file whose checksum matches is linked into the
 * cache. What `org.osbuild.curl` and `org.osbuild.librepo` share: they
 * differ only in how they find the candidate URLs.
 */
import { stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { parseChecksum } from '../checksum.js';
import { commitToCache } from '../commit.js';
import type { ItemOutcome, SourceReporter } from '../run-source.js';
import { createAgents, type Agents } from './agents.js';
import { createHostHealth, type HostHealth } from './host-health.js';
import type { DownloadOverrides } from './overrides.js';
import { emptyPartialFile, newPartialFile } from './partial-file.js';
import { transfer } from './transfer.js';
import { asTransferError, transferError } from './transfer-error.js';
import { userAgent } from './user-agent.js';

export interface DownloadContext {
  overrides: DownloadOverrides;
  agents: Agents;
  userAgent: string;
  cache: string;
  tmp: string;
  offline: boolean;
  report: SourceReporter;
  /** Shared by the items of one run, so that a host that is down is tried last by the others. */
  health?: HostHealth;
}

export interface DownloadRequest {
  checksum: string;
  /** Where to look, in order, as messages name them. */
  urls: readonly string[];
  /** What is requested for a URL (curl: osbuild's percent-encoding of the path); default: the URL itself. */
  requestUrl?: (url: string) => string;
  /** Skip TLS certificate checks for this item. */
  insecure?: boolean;
  /** The item in words, for messages that name no URL (curl: its URL; librepo: path and mirror). */
  label: string;
  /** Its size in bytes when the source knows it: a response announcing more, or a body growing past it, is cut off and fails that URL. */
  size?: number;
}

const PROGRESS_INTERVAL_MS = 200;
/** Immediate resumptions of one URL within a pass, when each made progress. */
const RESUMES_PER_PASS = 3;

export async function downloadItem(item: DownloadRequest, ctx: DownloadContext): Promise<ItemOutcome> {
  const { checksum } = item;
  const fail = (reason: NonNullable<ItemOutcome['reason']>, error: string, extra: Partial<ItemOutcome> = {}): ItemOutcome => ({
    checksum,
    success: false,
    cached: false,
    reason,
    error,
    ...extra,
  });
  const parsed = parseChecksum(checksum);
  if ('error' in parsed) return fail('unsupported', parsed.error);
  // The engine sends only missing items, but a plugin run on its own (or a concurrent run) may find it there.
  if ((await stat(join(ctx.cache, checksum)).catch(() => null))?.isFile()) return { checksum, success: true, cached: true };
  let candidates = [...new Set(item.urls)];
  if (candidates.length === 0) return fail('fetch', `${item.label}: no URL to fetch it from`);
  if (ctx.offline) {
    candidates = candidates.filter((url) => /^file:/i.test(url));
    if (candidates.length === 0) return fail('offline', `offline: not in the cache, and ${item.label} needs the network`, { url: item.urls[0]! });
  }
  const requestUrl = item.requestUrl ?? ((url: string) => url);

  const partial = newPartialFile(join(ctx.tmp, checksum), parsed.algorithm);
  let lastReport = Date.now();
  const transferContext = {
    overrides: ctx.overrides,
    insecure: item.insecure === true || ctx.overrides.insecure,
    agents: ctx.agents,
    userAgent: ctx.userAgent,
    onBytes(bytes: number, total: number | undefined) {
      if (item.size !== undefined && (bytes > item.size || (total !== undefined && total > item.size))) {
        throw transferError(`the response is larger than the ${item.size} bytes expected of ${item.label}${total === undefined ? '' : ` (it announced ${total})`}; cut off`, true);
      }
      const now = Date.now();
      if (now - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      ctx.report.progress(checksum, bytes, total);
    },
  };

  const errors = new Map<string, string>();
  const dead = new Set<string>();
  const refetched = new Set<string>();
  let mismatch: { url: string; actual: string } | undefined;
  let lastUrl = candidates[0]!;

  for (let round = 0; round < ctx.overrides.rounds && dead.size < candidates.length; round++) {
    if (round > 0) await sleep(backoff(round, ctx.overrides.backoff));
    for (const url of ctx.health?.order(candidates) ?? candidates) {
      let resumes = 0;
      while (!dead.has(url)) {
        lastUrl = url;
        const before = partial.bytes;
        try {
          await transfer(requestUrl(url), partial, transferContext);
        } catch (error) {
          const failure = asTransferError(error);
          errors.set(url, failure.message);
          ctx.health?.failed(url, failure, partial.bytes > before);
          if (failure.permanent) dead.add(url);
          else if (partial.bytes > before && resumes++ < RESUMES_PER_PASS) {
            ctx.report.log(`${url}: ${failure.message}; resuming at byte ${partial.bytes}`);
            continue;
          }
          break;
        }
        ctx.health?.succeeded(url);

        const actual = `${parsed.algorithm}:${partial.hash.digest('hex')}`;
        const size = partial.bytes;
        if (actual === checksum) {
          const { cached } = await commitToCache(partial.path, ctx.cache, checksum);
          ctx.report.progress(checksum, size, size);
          ctx.report.log(`Downloaded ${url}`);
          return { checksum, success: true, cached, url };
        }
        const resumed = partial.pieces > 1;
        await emptyPartialFile(partial);
        if (resumed && !refetched.has(url)) {
          // The pieces may come from different versions of the file: fetch it whole once more.
          refetched.add(url);
          ctx.report.log(`${url}: checksum mismatch after resuming (got ${actual}); fetching it again from the start`);
          continue;
        }
        mismatch = { url, actual };
        errors.set(url, `checksum mismatch: got ${actual}`);
        dead.add(url);
      }
    }
  }

  await unlink(partial.path).catch(() => undefined);
  const tried = [...errors].map(([url, error]) => `${url}: ${error}`).join('; ');
  if (mismatch !== undefined) {
    const others = [...errors].filter(([url]) => url !== mismatch!.url).map(([url, error]) => `${url}: ${error}`);
    return fail('verify', `checksum mismatch: ${mismatch.url} served ${mismatch.actual}, expected ${checksum}${others.length ? ` (also tried ${others.join('; ')})` : ''}`, {
      url: mismatch.url,
      actual: mismatch.actual,
    });
  }
  const passes = dead.size === candidates.length ? '' : ` (${ctx.overrides.rounds} passes)`;
  return fail('fetch', `could not fetch${passes}: ${tried}`, { url: lastUrl });
}

/** Seconds → ms before pass `round` (≥1): initial, doubling, capped, with jitter so parallel items do not retry in step. */
function backoff(round: number, { initial, max }: DownloadOverrides['backoff']): number {
  const seconds = Math.min(max, initial * 2 ** (round - 1));
  return seconds * 1000 * (0.5 + Math.random() / 2);
}

/** What a run's downloads share: its request's cache, tmp and offline flag, one agent pool and one view of host health. */
export function downloadContext(
  request: { cache: string; tmp: string; offline: boolean; parallel: number },
  report: SourceReporter,
  overrides: DownloadOverrides,
): DownloadContext {
  return {
    overrides,
    agents: createAgents(request.parallel),
    userAgent: userAgent(),
    cache: request.cache,
    tmp: request.tmp,
    offline: request.offline,
    report,
    health: createHostHealth(),
  };
}
