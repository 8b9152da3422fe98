#!/usr/bin/env node
// Packs workspace packages the way `pnpm publish` would (workspace:^ turned
// into version ranges, only `files` included) into DEST, and writes
// DEST/packs.json: {"@osbuild-ts/x": "/abs/DEST/osbuild-ts-x-0.1.0.tgz", …}.
// Projects outside the workspace install these with npm (samples/third-party,
// packages/create-stage/test/published.test.ts). Build first (pnpm run build).
//
// usage: node scripts/pack-packages.mjs [--stable-names] DEST PACKAGE…   (PACKAGE: cli, stage-mkdir, @osbuild-ts/core…)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The workspace packages (short names) `name` needs at run time: itself and its dependencies', recursively. */
export function workspaceClosure(name) {
  const closure = new Set();
  const visit = (short) => {
    if (closure.has(short)) return;
    closure.add(short);
    const manifest = JSON.parse(readFileSync(path.join(root, 'packages', short, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) if (dep.startsWith('@osbuild-ts/')) visit(dep.slice('@osbuild-ts/'.length));
  };
  visit(name);
  return [...closure];
}

/** What a command-line install needs: the CLI and every workspace package it depends on. */
export const CLI_CLOSURE = workspaceClosure('cli');

/**
 * `stableNames`: name the tarballs after the package alone
 * (`osbuild-ts-cli.tgz`), so a project's package.json can point at them
 * across versions (samples/third-party does).
 */
export function packPackages(dest, names, { stableNames = false } = {}) {
  mkdirSync(dest, { recursive: true });
  const full = [...new Set(names.map((n) => (n.startsWith('@') ? n : `@osbuild-ts/${n}`)))];
  const filters = full.flatMap((n) => ['--filter', n]);
  const out = execFileSync('pnpm', [...filters, 'pack', '--pack-destination', path.resolve(dest), '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const parsed = JSON.parse(out);
  const packs = Object.fromEntries(
    (Array.isArray(parsed) ? parsed : [parsed]).map((p) => {
      if (!stableNames) return [p.name, p.filename];
      const stable = path.join(path.resolve(dest), `${p.name.replace(/^@/, '').replace('/', '-')}.tgz`);
      renameSync(p.filename, stable);
      return [p.name, stable];
    }),
  );
  const missing = full.filter((n) => packs[n] === undefined);
  if (missing.length > 0) throw new Error(`pnpm pack did not pack ${missing.join(', ')}`);
  writeFileSync(path.join(dest, 'packs.json'), `${JSON.stringify(packs, null, 2)}\n`);
  return packs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const stableNames = args.includes('--stable-names');
  const [dest, ...names] = args.filter((a) => a !== '--stable-names');
  if (dest === undefined || names.length === 0) {
    process.stderr.write('usage: node scripts/pack-packages.mjs DEST PACKAGE…\n');
    process.exit(2);
  }
  const packs = packPackages(dest, names, { stableNames });
  process.stdout.write(`${Object.keys(packs).length} packages packed into ${dest}\n`);
}
