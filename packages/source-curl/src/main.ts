#!/usr/bin/env node
import { forEachLimited, runSource } from '@osbuild-ts/source-kit';
import { downloadContext } from '@osbuild-ts/source-kit/download';
import { fetchItem } from './fetch-item.js';
import { parseOverrides } from './overrides.js';

await runSource(async (request, report) => {
  const ctx = downloadContext(request, report, parseOverrides(request.overrides));
  try {
    await forEachLimited(Object.entries(request.items), request.parallel, async ([checksum, item]) => {
      const outcome = await fetchItem(checksum, item, ctx).catch((error: unknown) => ({
        checksum,
        success: false,
        cached: false,
        reason: 'fetch' as const,
        error: error instanceof Error ? error.message : String(error),
      }));
      report.item(outcome);
    });
  } finally {
    ctx.agents.destroy();
  }
});
