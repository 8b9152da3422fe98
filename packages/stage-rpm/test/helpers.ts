import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildRpms, busyboxStatic, testdir, type TestRpm } from '@osbuild-ts/plugin-kit/testing';
import { startTestServer, type TestServer } from '@osbuild-ts/source-kit/testing';

export const packageDir = join(import.meta.dirname, '..');
export const entry = join(packageDir, 'dist', 'main.js');
const linked = (name: string) => realpathSync(join(packageDir, 'node_modules', '@osbuild-ts', name));

/**
 * The fixture RPMs (test/fixtures/rpms): osbt-filesystem, osbt-busybox (a
 * static busybox as /bin/sh), osbt-lib (a %config file, docs, two
 * languages, a Lua %post) and osbt-app (needs osbt-lib, shell %post).
 */
export function fixtureRpms(): Map<string, TestRpm> {
  const rpms = buildRpms({ specDir: join(import.meta.dirname, 'fixtures', 'rpms'), sources: { busybox: busyboxStatic() } });
  return new Map(rpms.map((rpm) => [rpm.name, rpm]));
}

export const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A directory of RPM files served on 127.0.0.1; `add` puts a file there and returns its checksum. */
export async function rpmServer(): Promise<{ server: TestServer; dir: string; add(file: string, bytes?: Buffer): string }> {
  const dir = testdir('rpm-served');
  const server = await startTestServer({ root: dir });
  return {
    server,
    dir,
    add(file, bytes) {
      const data = bytes ?? readFileSync(file);
      const name = createHash('sha256').update(data).digest('hex');
      writeFileSync(join(dir, name), data);
      return `sha256:${name}`;
    },
  };
}

/** `org.osbuild.curl` items for checksums served by `server`. */
export function curlSource(server: TestServer, checksums: string[]) {
  return { 'org.osbuild.curl': { items: Object.fromEntries(checksums.map((c) => [c, `${server.url}/${c.slice('sha256:'.length)}`])) } };
}

export interface Built {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The parsed --json result, when stdout held one. */
  result: Record<string, any> | undefined;
  /** The exported tree of pipeline `tree`. */
  tree: string;
}

/** Builds a manifest with our `osbuild` (the CLI, the engine's sandbox, this stage), exporting pipeline `tree`. */
export async function osbuild(manifest: unknown, exportName = 'tree'): Promise<Built> {
  const work = testdir('rpm-build');
  const project = join(work, 'project');
  mkdirSync(join(project, 'node_modules', '@osbuild-ts'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{"name": "rpm-stage-test", "private": true}\n');
  symlinkSync(packageDir, join(project, 'node_modules', '@osbuild-ts', 'stage-rpm'));
  symlinkSync(linked('source-curl'), join(project, 'node_modules', '@osbuild-ts', 'source-curl'));
  const file = join(work, 'manifest.json');
  writeFileSync(file, JSON.stringify(manifest));
  const out = join(work, 'out');
  const args = [join(linked('cli'), 'bin', 'osbuild.js'), '--libdir', project, '--store', join(work, 'store'), '--json', '--export', exportName, '--output-directory', out, file];
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  let result: Record<string, any> | undefined;
  try {
    result = JSON.parse(r.stdout) as Record<string, any>;
  } catch {
    result = undefined;
  }
  return { ...r, result, tree: join(out, exportName) };
}

/** A v2 manifest: one pipeline `tree` with one org.osbuild.rpm stage installing `references`. */
export function rpmManifest(server: TestServer, references: string[] | Record<string, unknown>, options: Record<string, unknown> = {}, extraSources: string[] = []) {
  const checksums = Array.isArray(references) ? references : Object.keys(references);
  return {
    version: '2',
    pipelines: [
      {
        name: 'tree',
        stages: [{ type: 'org.osbuild.rpm', options: { dbpath: '/var/lib/rpm', ...options }, inputs: { packages: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references } } }],
      },
    ],
    sources: curlSource(server, [...checksums, ...extraSources]),
  };
}

/** `rpm -qa` of a tree: NEVRAs, sorted. */
export function installedIn(tree: string, dbpath = '/var/lib/rpm'): string[] {
  return execFileSync('rpm', ['--root', tree, '--dbpath', dbpath, '-qa', '--qf', '%{NAME}-%{EVR}.%{ARCH}\\n'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).sort();
}

/** Copies a fixture RPM to `dir` (so it can be signed or changed) and returns the copy's path. */
export function copyRpm(rpm: TestRpm, dir: string, name = rpm.file): string {
  const target = join(dir, name);
  copyFileSync(rpm.source, target);
  return target;
}
