import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import {
  clearDiscoveryCache,
  clearFingerprintCache,
  discoverPlugins,
  loadManifest,
  parsePyJson,
} from '@osbuild-ts/core';
import { buildManifest, type BuildOptions, type BuildResult } from '../src/index.js';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
const writeFixture = join(import.meta.dirname, 'fixtures', 'stage-write');
const shellFixture = join(import.meta.dirname, 'fixtures', 'stage-shell');

/**
 * A temp project: the real mkdir/noop/copy stages, loopback device and
 * ext4/xfs/btrfs/fat mounts, the shell fixture, and a copy of the write
 * fixture whose version a test may bump.
 */
export function makeProject(): { dir: string; setWriteVersion(version: string): void } {
  const dir = mkdtempSync(join(tmpdir(), 'engine-project-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const link = (name: string, target: string) => {
    const path = join(dir, 'node_modules', name);
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path);
  };
  for (const name of ['stage-mkdir', 'stage-noop', 'stage-copy', 'device-loopback', 'mount-ext4', 'mount-xfs', 'mount-btrfs', 'mount-fat']) {
    link(`@osbuild-ts/${name}`, join(repoRoot, 'packages', name));
  }
  link('@osbuild-ts-fixtures/stage-shell', shellFixture);
  const write = join(dir, 'node_modules', '@osbuild-ts-fixtures', 'stage-write');
  cpSync(writeFixture, write, { recursive: true });
  return {
    dir,
    setWriteVersion(version) {
      const file = join(write, 'package.json');
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      pkg.version = version;
      writeFileSync(file, JSON.stringify(pkg, null, 2));
      clearDiscoveryCache();
      clearFingerprintCache();
    },
  };
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const write = (path: string, content: string, extra: Record<string, unknown> = {}) => ({
  type: 'org.test.write',
  options: { path, content, ...extra },
});

export function manifest(stages: unknown[], name = 'tree'): string {
  return JSON.stringify({ version: '2', pipelines: [{ name, stages }] });
}

/** Builds a manifest text in-process with the engine; returns which stages ran. */
export async function build(
  projectDir: string,
  text: string,
  options: Partial<BuildOptions> & { store: string },
): Promise<BuildResult & { ran: number[]; cached: number[] }> {
  const registry = await discoverPlugins(projectDir);
  const m = loadManifest(parsePyJson(text));
  const exports = options.exports ?? [{ name: m.pipelines.at(-1)!.name, pipeline: m.pipelines.at(-1)!.name }];
  const result = await buildManifest(m, registry, { ...options, exports });
  return {
    ...result,
    ran: result.stages.filter((s) => !s.cached).map((s) => s.index + 1),
    cached: result.stages.filter((s) => s.cached).map((s) => s.index + 1),
  };
}

export function mountsUnder(path: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((mount) => mount.startsWith(path));
}

/** A stage of the shell fixture: `script` runs with sh -e in the tree ($DEVICE_<name>, $MOUNT_<name>). */
export const shell = (script: string, extra: Record<string, unknown> = {}) => ({ type: 'org.test.shell', options: { script }, ...extra });

export interface LoopInfo {
  name: string;
  'back-file': string;
  offset: number;
  sizelimit: number;
  autoclear: boolean;
  'log-sec': number;
}

/** Loop devices whose backing file is below `dir` (other suites use loop devices too). */
export function loopsUnder(dir: string): LoopInfo[] {
  const text = execFileSync('losetup', ['--json', '--list'], { encoding: 'utf8' });
  if (text.trim() === '') return [];
  return (JSON.parse(text).loopdevices as LoopInfo[]).filter((d) => d['back-file'].startsWith(dir));
}
