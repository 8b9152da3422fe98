import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const vectorsDir = join(repoRoot, 'packages', 'core', 'test', 'vectors');
const fixturesDir = join(repoRoot, 'packages', 'core', 'test', 'fixtures', 'plugins');

interface Pkg {
  dir: string;
  name: string;
  module: string;
}

function readPkg(dir: string): Pkg | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, 'utf8'));
  if (!json.osbuild) return undefined;
  return { dir, name: json.name, module: `${json.osbuild.kind}:${json.osbuild.name}` };
}

/** The first-party plugin packages of this repository (packages/* with an `osbuild` field). */
export function realPlugins(): Pkg[] {
  const dir = join(repoRoot, 'packages');
  return readdirSync(dir).flatMap((d) => readPkg(join(dir, d)) ?? []);
}

/**
 * A project directory whose node_modules links every real first-party plugin
 * plus a schema-only fixture for each module no real package provides yet:
 * as stage packages land, the vectors run against them automatically.
 */
export function makeProject(): string {
  const project = mkdtempSync(join(tmpdir(), 'osbuild-cli-project-'));
  const real = realPlugins();
  const provided = new Set(real.map((p) => p.module));
  const fixtures = existsSync(fixturesDir)
    ? readdirSync(fixturesDir).flatMap((d) => readPkg(join(fixturesDir, d)) ?? []).filter((p) => !provided.has(p.module))
    : [];
  for (const pkg of [...real, ...fixtures]) {
    const link = join(project, 'node_modules', pkg.name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(pkg.dir, link);
  }
  return project;
}
