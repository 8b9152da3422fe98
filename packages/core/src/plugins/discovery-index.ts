import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PluginRecord } from './types.js';

/**
 * The persisted result of a discovery scan. It stays valid while every
 * stat observation taken during the scan still holds: each node_modules
 * directory walked (present or absent), each `@scope` directory, and each
 * plugin's package.json. Checking that costs only stat calls — no directory
 * listing, no package.json reads.
 */

// Bumped when a record gains a field, so an index written before is rescanned.
const FORMAT = 'osbuild-ts.discovery-index.3';

/** One stat observation; the index is valid while all of them still hold. */
export type StatStamp = [path: string, stamp: string];

/** A file's state: inode, mtime and size change when a directory's entries or a file's bytes do. */
export function statStamp(file: string): string {
  const st = statSync(file, { bigint: true, throwIfNoEntry: false });
  if (st === undefined) return 'missing';
  return `${st.ino}:${st.mtimeNs}:${st.size}`;
}

interface IndexFile {
  format: string;
  projectDir: string;
  stamps: StatStamp[];
  records: PluginRecord[];
}

export function indexPath(cacheDir: string, projectDir: string): string {
  const id = createHash('sha256').update(projectDir).digest('hex').slice(0, 16);
  return path.join(cacheDir, `discovery-${id}.json`);
}

/** The cached records, or undefined when there is no index or it is stale. */
export function readIndex(file: string, projectDir: string): PluginRecord[] | undefined {
  let parsed: IndexFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as IndexFile;
  } catch {
    return undefined;
  }
  if (parsed.format !== FORMAT || parsed.projectDir !== projectDir || !Array.isArray(parsed.stamps)) return undefined;
  for (const [file, stamp] of parsed.stamps) {
    if (statStamp(file) !== stamp) return undefined;
  }
  return parsed.records;
}

/** Best effort: a cache that cannot be written only costs the next start a scan. */
export function writeIndex(file: string, projectDir: string, stamps: StatStamp[], records: PluginRecord[]): void {
  const body: IndexFile = { format: FORMAT, projectDir, stamps, records };
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(body));
    renameSync(temp, file); // atomic: concurrent starts never read half a file
  } catch {
    // read-only or full disk: stay uncached
  }
}
