import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const PROBE_DIR = fileURLToPath(new URL('./fixtures/probe', import.meta.url));
export const PROBE = { entry: path.join(PROBE_DIR, 'main.mjs'), packageDir: PROBE_DIR, root: null } as const;

/** A probe action (see fixtures/probe/main.mjs). */
export type Action = Record<string, unknown> & { do: string };

/** The arguments document a probe stage gets. */
export function probeArgs(actions: Action[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { tree: '/run/osbuild/tree', paths: {}, options: { actions }, meta: { id: 'test' }, ...extra };
}

/** Parse the probe's `<action> <json>` lines into a map (last one wins). */
export function reports(lines: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of lines) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    try {
      out[line.slice(0, space)] = JSON.parse(line.slice(space + 1));
    } catch {
      // not a probe report
    }
  }
  return out;
}

/** A temporary directory removed after the test. */
export async function tempDir(prefix = 'osbuild-ts-sandbox-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The lines of the host's /proc/self/mountinfo. Other test suites may mount
 * things on this machine at the same time, so comparisons look at the lines
 * that concern `roots` (our test directories), and at everything when the
 * machine is quiet.
 */
export function mountinfo(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean);
}

export function mountLinesUnder(roots: readonly string[], lines = mountinfo()): string[] {
  return lines.filter((line) => {
    const fields = line.split(' ');
    const root = fields[3] ?? '';
    const point = fields[4] ?? '';
    return roots.some((dir) => point === dir || point.startsWith(`${dir}/`) || root.startsWith(dir));
  });
}

/** Host processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').includes(marker)) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** A sleep duration nobody else uses, to find our sleepers by command line. */
export function uniqueSleep(): string {
  return `${4000 + Math.floor(Math.random() * 1000)}.${process.pid}${Math.floor(Math.random() * 1000)}`;
}
