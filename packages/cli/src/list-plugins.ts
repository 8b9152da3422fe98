import { relative } from 'node:path';
import { builtinPlugins, discoverPlugins } from '@osbuild-ts/core';
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
    p.foundVia === 'built in' ? '(built in)' : relative(projectDir, p.packageDir) || '.',
  ]);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) {
    io.stdout(row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell)).join('  ') + '\n');
  }
  return 0;
}
