/**
 * One `org.osbuild.curl` item: its URL (after the overrides' mirror rules)
 * handed to source-kit's download engine, the path percent-encoded as
 * osbuild does.
 */
import type { ItemOutcome } from '@osbuild-ts/source-kit';
import { candidateUrls, downloadItem, quoteUrl, type DownloadContext } from '@osbuild-ts/source-kit/download';
import { normaliseItem } from './item.js';

export async function fetchItem(checksum: string, raw: unknown, ctx: DownloadContext): Promise<ItemOutcome> {
  const fail = (error: string, url?: string): ItemOutcome => ({
    checksum,
    success: false,
    cached: false,
    reason: 'unsupported',
    error,
    ...(url === undefined ? {} : { url }),
  });
  const item = normaliseItem(raw);
  if ('error' in item) return fail(item.error);
  if (item.secrets !== undefined) return fail(`${item.url}: secrets provider ${JSON.stringify(item.secrets.name)} is not supported by osbuild-ts`, item.url);
  const urls = candidateUrls(item.url, ctx.overrides);
  if (urls.length === 0) {
    return { checksum, success: false, cached: false, reason: 'fetch', error: `no mirror rule matches ${item.url} and the overrides say "original": false`, url: item.url };
  }
  return downloadItem({ checksum, urls, requestUrl: quoteUrl, insecure: item.insecure, label: item.url }, ctx);
}
