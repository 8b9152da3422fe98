import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dumpsPy, sha256Hex } from '@osbuild-ts/core';
import type { PlannedPipeline, PlannedStage } from './plan.js';

/**
 * What built the object last time at a pipeline position, so that a miss can
 * be explained ("stage 3 options changed", "plugin X 1.2.0 → 1.3.0").
 * Kept in `<store>/trail/`, one small file per (pipeline name, stage index);
 * losing it only loses explanations, never objects.
 */
export interface TrailRecord {
  key: string;
  id: string;
  type: string;
  options: string;
  plugins: { name: string; version: string; contentHash: string }[];
  parentKey: string | null;
  buildKey: string | null;
  inputKeys: (string | null)[];
  /** Set when the stage's changes were committed in a later stage's layer (run-pipeline.ts `chainEnd`): that stage. */
  storedWith?: { index: number; key: string };
}

function trailFile(storeRoot: string, pipeline: string, index: number): string {
  return join(storeRoot, 'trail', `${sha256Hex(pipeline).slice(0, 32)}-${index}.json`);
}

export function trailRecord(pp: PlannedPipeline, s: PlannedStage, inputKeys: (string | null)[]): TrailRecord {
  return {
    key: s.key,
    id: s.stage.id,
    type: s.stage.type,
    options: dumpsPy(s.stage.options, { sortKeys: true }),
    plugins: s.fingerprints.map((f) => ({ name: f.name, version: f.version, contentHash: f.contentHash })),
    parentKey: s.parentKey,
    buildKey: pp.build?.key ?? null,
    inputKeys,
  };
}

export async function writeTrail(storeRoot: string, pipeline: string, index: number, record: TrailRecord): Promise<void> {
  const file = trailFile(storeRoot, pipeline, index);
  await mkdir(join(storeRoot, 'trail'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(record));
  await rename(tmp, file);
}

async function readTrail(storeRoot: string, pipeline: string, index: number): Promise<TrailRecord | null> {
  try {
    return JSON.parse(await readFile(trailFile(storeRoot, pipeline, index), 'utf8')) as TrailRecord;
  } catch {
    return null;
  }
}

/** Why the object of stage `s` is not in the store, in a few words. */
export async function explainMiss(storeRoot: string, now: TrailRecord, pipeline: string, index: number): Promise<string> {
  const before = await readTrail(storeRoot, pipeline, index);
  if (before === null) return 'not in store';
  if (before.key === now.key) {
    return before.storedWith === undefined
      ? 'not in store any more (evicted or removed)'
      : `stored with stage ${before.storedWith.index + 1} (stages from the first with devices share one layer), which is not in store`;
  }
  if (before.type !== now.type) return `stage type changed: ${before.type} → ${now.type}`;
  const reasons: string[] = [];
  if (before.options !== now.options) reasons.push(`stage ${index + 1} options changed`);
  for (const plugin of now.plugins) {
    const old = before.plugins.find((p) => p.name === plugin.name);
    if (!old) reasons.push(`plugin ${plugin.name}@${plugin.version} is new here`);
    else if (old.version !== plugin.version) reasons.push(`plugin ${plugin.name} ${old.version} → ${plugin.version}`);
    else if (old.contentHash !== plugin.contentHash) reasons.push(`plugin ${plugin.name}@${plugin.version} content changed`);
  }
  if (before.parentKey !== now.parentKey && reasons.length === 0) reasons.push('an earlier stage changed');
  if (before.buildKey !== now.buildKey) reasons.push('the build pipeline changed');
  if (dumpsPy(before.inputKeys) !== dumpsPy(now.inputKeys)) reasons.push('an input pipeline changed');
  if (reasons.length === 0) reasons.push('source-epoch or inputs changed');
  return reasons.join('; ');
}
