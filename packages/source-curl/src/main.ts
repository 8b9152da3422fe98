#!/usr/bin/env node
import { machine } from 'node:os';
import { forEachLimited, runSource } from '@osbuild-ts/source-kit';
import { createAgents } from './agents.js';
import { fetchItem } from './fetch-item.js';
import { parseOverrides } from './overrides.js';

await runSource(async (request, report) => {
  const overrides = parseOverrides(request.overrides);
  const agents = createAgents(request.parallel);
  const ctx = {
    overrides,
    agents,
    userAgent: `osbuild (Linux.${machine()}; https://osbuild.org/)`,
    cache: request.cache,
    tmp: request.tmp,
    offline: request.offline,
    report,
  };
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
    agents.destroy();
  }
});
