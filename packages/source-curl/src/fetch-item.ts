/**
 * Fetches one item: tries each candidate URL (mirrors from the overrides,
 * then the manifest's URL) in turn, for up to `rounds` passes with a growing
 * pause between passes; a transfer that broke after making progress is
 * resumed at once. The bytes are hashed as they are written; only a file
 * whose checksum matches is linked into the cache.
 */
import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { commitToCache, parseChecksum, type ItemOutcome, type SourceReporter } from '@osbuild-ts/source-kit';
import type { Agents } from './agents.js';
import { normaliseItem } from './item.js';
import { candidateUrls, type CurlOverrides } from './overrides.js';
import { emptyPartialFile, newPartialFile } from './partial-file.js';
import { quoteUrl } from './quote-url.js';
import { transfer } from './transfer.js';
import { asTransferError } from './transfer-error.js';

export interface ItemContext {
  overrides: CurlOverrides;
  agents: Agents;
  userAgent: string;
  cache: string;
  tmp: string;
  offline: boolean;
  report: SourceReporter;
}

const PROGRESS_INTERVAL_MS = 200;
/** Immediate resumptions of one URL within a pass, when each made progress. */
const RESUMES_PER_PASS = 3;

export async function fetchItem(checksum: string, raw: unknown, ctx: ItemContext): Promise<ItemOutcome> {
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
  const item = normaliseItem(raw);
  if ('error' in item) return fail('unsupported', item.error);
  if (item.secrets !== undefined) {
    return fail('unsupported', `${item.url}: secrets provider ${JSON.stringify(item.secrets.name)} is not supported by osbuild-ts`, { url: item.url });
  }

  let candidates = candidateUrls(item.url, ctx.overrides);
  if (candidates.length === 0) return fail('fetch', `no mirror rule matches ${item.url} and the overrides say "original": false`, { url: item.url });
  if (ctx.offline) {
    candidates = candidates.filter((url) => /^file:/i.test(url));
    if (candidates.length === 0) return fail('offline', `offline: not in the cache, and ${item.url} needs the network`, { url: item.url });
  }

  const partial = newPartialFile(join(ctx.tmp, checksum), parsed.algorithm);
  let lastReport = Date.now();
  const transferContext = {
    overrides: ctx.overrides,
    insecure: item.insecure || ctx.overrides.insecure,
    agents: ctx.agents,
    userAgent: ctx.userAgent,
    onBytes(bytes: number, total: number | undefined) {
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
    for (const url of candidates) {
      let resumes = 0;
      while (!dead.has(url)) {
        lastUrl = url;
        const before = partial.bytes;
        try {
          await transfer(quoteUrl(url), partial, transferContext);
        } catch (error) {
          const failure = asTransferError(error);
          errors.set(url, failure.message);
          if (failure.permanent) dead.add(url);
          else if (partial.bytes > before && resumes++ < RESUMES_PER_PASS) {
            ctx.report.log(`${url}: ${failure.message}; resuming at byte ${partial.bytes}`);
            continue;
          }
          break;
        }

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
function backoff(round: number, { initial, max }: CurlOverrides['backoff']): number {
  const seconds = Math.min(max, initial * 2 ** (round - 1));
  return seconds * 1000 * (0.5 + Math.random() / 2);
}
