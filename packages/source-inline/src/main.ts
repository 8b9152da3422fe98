#!/usr/bin/env node
import { join } from 'node:path';
import { commitToCache, forEachLimited, parseChecksum, runSource, type ItemOutcome } from '@osbuild-ts/source-kit';
import { writeDecoded } from './decode.js';

interface InlineItem {
  encoding: string;
  data: string;
}

await runSource<InlineItem>(async (request, report) => {
  // Nothing here touches the network, so `offline` changes nothing.
  await forEachLimited(Object.entries(request.items), request.parallel, async ([checksum, item]) => {
    report.item(await decodeItem(checksum, item, request.cache, request.tmp));
  });
});

async function decodeItem(checksum: string, item: InlineItem, cache: string, tmp: string): Promise<ItemOutcome> {
  const fail = (reason: ItemOutcome['reason'], error: string, actual?: string): ItemOutcome => ({
    checksum,
    success: false,
    cached: false,
    reason,
    error,
    ...(actual === undefined ? {} : { actual }),
  });
  const parsed = parseChecksum(checksum);
  if ('error' in parsed) return fail('unsupported', parsed.error);
  if (typeof item !== 'object' || item === null || typeof item.data !== 'string') return fail('unsupported', 'not an org.osbuild.inline item ({"encoding", "data"})');
  const file = join(tmp, checksum);
  let actual: string;
  try {
    actual = await writeDecoded(item.encoding, item.data, file, parsed.algorithm);
  } catch (error) {
    return fail('unsupported', (error as Error).message);
  }
  if (actual !== checksum) return fail('verify', `checksum mismatch: the ${item.encoding} data decodes to ${actual}, expected ${checksum}`, actual);
  const { cached } = await commitToCache(file, cache, checksum);
  return { checksum, success: true, cached };
}
