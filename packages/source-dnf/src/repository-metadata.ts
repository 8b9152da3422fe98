/**
 * Fetches a repository's metadata for a depsolve, as the build will: the
 * current `repodata/repomd.xml` from the first mirror that serves one (for a
 * metalink, one whose digest the metalink lists), then each file dnf reads
 * by the checksum repomd gives, into a content-addressed cache. The result
 * is a local copy of the repository holding exactly the files that get
 * pinned, so dnf resolves against precisely what the manifest will name.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OsbuildError } from '@osbuild-ts/core';
import { commitToCache, type SourceReporter } from '@osbuild-ts/source-kit';
import { downloadItem, fetchDocument, type DownloadContext, type TransferError } from '@osbuild-ts/source-kit/download';
import { joinUrl } from './join-url.js';
import { isCurrentRepomd, mirrorBases } from './mirror-bases.js';
import type { Mirror } from './options.js';
import { metadataForDnf, parseRepomd } from './repomd.js';

export interface PinnedFile {
  /** The repomd data type (`primary`, …), `repomd` for repomd.xml itself. */
  type: string;
  /** Relative to the repository base. */
  path: string;
  checksum: string;
  size: number;
}

export interface FetchedRepository {
  mirror: Mirror;
  /** repomd.xml, then the files it lists that dnf reads. */
  files: PinnedFile[];
  /** The local copy: `<dir>/repodata/…`, for dnf's `baseurl=file://`. */
  dir: string;
}

export interface MetadataContext extends Omit<DownloadContext, 'report'> {
  log(line: string): void;
}

export async function fetchRepositoryMetadata(mirror: Mirror, localDir: string, ctx: MetadataContext): Promise<FetchedRepository> {
  const report: SourceReporter = { progress: () => undefined, item: () => undefined, log: () => undefined };
  let found;
  try {
    found = await mirrorBases(mirror, ctx);
  } catch (error) {
    throw new OsbuildError('E_SOURCE_FETCH', `repository ${mirror.id}: ${(error as Error).message}`);
  }
  const { bases, repomdHashes } = found;

  // repomd.xml: nothing names its checksum yet, except a metalink. Each pass asks every mirror once.
  const errors = new Map<string, string>();
  const dead = new Set<string>();
  const once = { ...ctx.overrides, rounds: 1 };
  let repomd: { bytes: Buffer; base: string } | undefined;
  for (let round = 0; round < ctx.overrides.rounds && repomd === undefined && dead.size < bases.length; round++) {
    if (round > 0) await sleep(Math.min(ctx.overrides.backoff.max, ctx.overrides.backoff.initial * 2 ** (round - 1)) * 1000);
    for (const base of bases.filter((b) => !dead.has(b))) {
      const url = joinUrl(base, 'repodata/repomd.xml');
      try {
        const bytes = await fetchDocument(url, { overrides: once, agents: ctx.agents, userAgent: ctx.userAgent, tmp: ctx.tmp, insecure: mirror.insecure });
        const check = isCurrentRepomd(bytes, repomdHashes);
        if (check.ok) {
          repomd = { bytes, base };
          break;
        }
        errors.set(base, `${url}: ${check.actual} is not a repomd.xml the metalink lists`);
        dead.add(base);
      } catch (error) {
        errors.set(base, (error as Error).message);
        if ((error as TransferError).permanent) dead.add(base);
      }
    }
  }
  if (repomd === undefined) {
    throw new OsbuildError('E_SOURCE_FETCH', `repository ${mirror.id}: no mirror served a usable repodata/repomd.xml: ${[...errors.values()].join('; ')}`);
  }
  ctx.log(`repository ${mirror.id}: repomd.xml from ${repomd.base}`);

  let entries;
  try {
    entries = metadataForDnf(parseRepomd(repomd.bytes.toString('utf8'), `repository ${mirror.id}: ${joinUrl(repomd.base, 'repodata/repomd.xml')}`));
  } catch (error) {
    throw new OsbuildError('E_SOURCE_FETCH', (error as Error).message);
  }
  if (!entries.some((e) => e.type === 'primary')) throw new OsbuildError('E_SOURCE_FETCH', `repository ${mirror.id}: repomd.xml lists no primary metadata`);

  const repomdChecksum = `sha256:${createHash('sha256').update(repomd.bytes).digest('hex')}`;
  const repomdFile = join(ctx.tmp, `repomd-${repomdChecksum}`);
  await writeFile(repomdFile, repomd.bytes);
  await commitToCache(repomdFile, ctx.cache, repomdChecksum);
  const files: PinnedFile[] = [{ type: 'repomd', path: 'repodata/repomd.xml', checksum: repomdChecksum, size: repomd.bytes.length }];

  // The mirror that served repomd.xml first: it holds the files it lists.
  const ordered = [repomd.base, ...bases.filter((b) => b !== repomd!.base)];
  for (const entry of entries) {
    const outcome = await downloadItem(
      { checksum: entry.checksum, urls: ordered.map((base) => joinUrl(base, entry.href)), insecure: mirror.insecure, label: `${entry.href} (repository ${mirror.id})` },
      { ...ctx, report },
    );
    if (!outcome.success) {
      throw new OsbuildError(outcome.reason === 'verify' ? 'E_SOURCE_VERIFY' : 'E_SOURCE_FETCH', `repository ${mirror.id}: ${entry.type} metadata ${entry.href}: ${outcome.error}`);
    }
    files.push({ type: entry.type, path: entry.href, checksum: entry.checksum, size: (await stat(join(ctx.cache, entry.checksum))).size });
  }

  // The local copy links into the cache.
  for (const file of files) {
    const target = join(localDir, ...posix.normalize(file.path).split('/'));
    if (!target.startsWith(localDir + '/')) throw new OsbuildError('E_SOURCE_FETCH', `repository ${mirror.id}: ${file.path} points outside the repository`);
    await mkdir(join(target, '..'), { recursive: true });
    await symlink(join(ctx.cache, file.checksum), target);
  }
  return { mirror, files, dir: localDir };
}
