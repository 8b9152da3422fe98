#!/usr/bin/env node
/**
 * `org.osbuild.librepo`: RPMs (or any file of a repository) by checksum,
 * from the mirror each item names — a base URL, or the mirrors a mirror
 * list or metalink gives, tried in order.
 */
import { createLimiter, forEachLimited, runSource, type ItemOutcome } from '@osbuild-ts/source-kit';
import { candidateUrls, downloadContext, downloadItem, parseDownloadOverrides, quotePath } from '@osbuild-ts/source-kit/download';
import { joinUrl } from './join-url.js';
import { mirrorBases, MirrorError } from './mirror-bases.js';
import { parseItem, parseMirrors, type LibrepoItem, type Mirror } from './options.js';

await runSource(async (request, report) => {
  const overrides = parseDownloadOverrides(request.overrides, { source: 'org.osbuild.librepo' });
  const mirrors = parseMirrors(request.options);
  const fail = (checksum: string, reason: NonNullable<ItemOutcome['reason']>, error: string, url?: string): ItemOutcome => ({
    checksum,
    success: false,
    cached: false,
    reason,
    error,
    ...(url === undefined ? {} : { url }),
  });

  // Items by mirror id: each mirror's list is fetched once.
  const groups = new Map<string, { mirror: Mirror; items: [string, LibrepoItem][] }>();
  for (const [checksum, raw] of Object.entries(request.items)) {
    const item = parseItem(raw);
    if ('error' in item) {
      report.item(fail(checksum, 'unsupported', item.error));
      continue;
    }
    const mirror = mirrors.get(item.mirror);
    if (mirror === undefined) {
      report.item(fail(checksum, 'unsupported', `${item.path}: missing mirror ${JSON.stringify(item.mirror)} (options.mirrors has ${[...mirrors.keys()].join(', ') || 'none'})`));
    } else if (mirror.secrets !== undefined) {
      report.item(fail(checksum, 'unsupported', `${item.path}: mirror ${mirror.id} needs the secrets provider ${JSON.stringify(mirror.secrets)}, which osbuild-ts does not support`, mirror.url));
    } else {
      const group = groups.get(mirror.id) ?? { mirror, items: [] };
      group.items.push([checksum, item]);
      groups.set(mirror.id, group);
    }
  }

  const ctx = downloadContext(request, report, overrides);
  const slot = createLimiter(request.parallel);
  try {
    await Promise.all(
      [...groups.values()].map(async ({ mirror, items }) => {
        let bases: string[];
        try {
          ({ bases } = await mirrorBases(mirror, { ...ctx, log: report.log }));
        } catch (error) {
          const reason = error instanceof MirrorError ? error.reason : 'fetch';
          for (const [checksum, item] of items) report.item(fail(checksum, reason, `${item.path}: ${(error as Error).message}`, mirror.url));
          return;
        }
        await forEachLimited(items, mirror.maxParallels ?? request.parallel, ([checksum, item]) =>
          slot(async () => {
            // librepo quotes the item's path (urllib.parse.quote) and joins it to each mirror.
            const urls = bases.flatMap((base) => candidateUrls(joinUrl(base, quotePath(item.path)), overrides));
            const outcome = await downloadItem({ checksum, urls, insecure: mirror.insecure, label: `${item.path} (mirror ${mirror.id})` }, ctx).catch((error: unknown) =>
              fail(checksum, 'fetch', error instanceof Error ? error.message : String(error)),
            );
            report.item(outcome);
          }),
        );
      }),
    );
  } finally {
    ctx.agents.destroy();
  }
});
