import { relative } from 'node:path';
import { builtinPlugins, discoverPlugins, type PluginRecord } from '@osbuild-ts/core';
import type { Io } from './main.js';

/**
 * `osbuild stages [--libdir DIR]`: every plugin the project can use, with the
 * package and version that provides it and where it was found.
 */
export async function listPlugins(argv: readonly string[], io: Io): Promise<number> {
  let projectDir = io.cwd;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === '--libdir' || arg === '-l') && argv[i + 1]) projectDir = argv[++i]!;
    else if (arg.startsWith('--libdir=')) projectDir = arg.slice('--libdir='.length);
    else {
      io.stderr(`usage: osbuild stages [--libdir DIRECTORY]\nosbuild: error: unexpected argument '${arg}'\n`);
      return 2;
    }
  }
  const registry = await discoverPlugins(projectDir);
  const installed = registry.list();
  const builtins = builtinPlugins().filter((b) => !installed.some((p) => p.kind === b.kind && p.name === b.name));
  const plugins = [...installed, ...builtins].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  if (installed.length === 0) {
    io.stdout(`no osbuild plugins found in node_modules of ${projectDir} or its parents\n`);
    return 0;
  }
  const rows = plugins.map((p) => [
    p.kind,
    p.name,
    `${p.packageName}@${p.version}`,
    entryColumn(p),
    p.foundVia === 'built in' ? '(built in)' : relative(projectDir, p.packageDir) || '.',
  ]);
  const last = rows[0]!.length - 1;
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) {
    io.stdout(row.map((cell, c) => (c < last ? cell.padEnd(widths[c]!) : cell)).join('  ') + '\n');
  }
  return 0;
}

/** Which file runs: compiled JavaScript (what packages publish), or TypeScript source run through tsx (development). */
function entryColumn(plugin: PluginRecord): string {
  if (plugin.entryPath === '') return '(engine)';
  const entry = relative(plugin.packageDir, plugin.entryPath);
  return /\.(?:ts|mts|cts)$/.test(entry) ? `${entry} (TypeScript, via tsx)` : entry;
}
