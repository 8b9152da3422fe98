import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OsbuildError } from '../errors.js';
import { checkPluginField } from './check-plugin-field.js';
import { scanNodeModules, type PackageLocation } from './scan-node-modules.js';
import { statStamp, type StatStamp } from './discovery-index.js';
import type { PluginRecord } from './types.js';

/**
 * The slow half of discovery, loaded only when the persisted index is stale:
 * list the visible packages, read each package.json once, check every
 * `osbuild` field, and refuse conflicts. All problems are collected and
 * reported together, one line per package.
 */
export function scanPlugins(candidates: string[]): { records: PluginRecord[]; stamps: StatStamp[] } {
  const scan = scanNodeModules(candidates);
  const records: PluginRecord[] = [];
  const problems: string[] = [];
  const stamps: StatStamp[] = [...scan.stamps];
  for (const location of scan.packages) {
    const manifestFile = path.join(location.realDir, 'package.json');
    // Stamp before reading, so an edit during the scan invalidates the index.
    const stamp = statStamp(manifestFile);
    const outcome = readPlugin(location, manifestFile);
    if (outcome === undefined) continue;
    stamps.push([manifestFile, stamp]);
    if ('problem' in outcome) problems.push(outcome.problem);
    else records.push(outcome.record);
  }

  const conflicts = findConflicts(records);
  if (problems.length > 0) {
    const lines = [...problems, ...conflicts.map((c) => c.line)];
    throw new OsbuildError(
      'E_PLUGIN_DISCOVERY',
      `${problems.length === 1 ? 'A plugin package is' : `${problems.length} plugin packages are`} broken:\n${lines.map((l) => `  ${l}`).join('\n')}`,
      {
        hint: 'Fix or uninstall the packages listed; the "osbuild" field of their package.json must follow the plugin contract.',
        details: { problems, conflicts: conflicts.map((c) => c.claimants) },
      },
    );
  }
  if (conflicts.length > 0) {
    throw new OsbuildError('E_PLUGIN_CONFLICT', conflicts.map((c) => c.message).join('\n'), {
      hint: 'Uninstall all but one of them: module names feed cache keys, so osbuild-ts does not pick one silently.',
      details: { conflicts: conflicts.map((c) => c.claimants) },
    });
  }
  return { records, stamps };
}

type PluginOutcome = { record: PluginRecord } | { problem: string } | undefined;

function readPlugin(location: PackageLocation, manifestFile: string): PluginOutcome {
  let text: string;
  try {
    text = readFileSync(manifestFile, 'utf8');
  } catch {
    return undefined; // a directory without package.json is not a package
  }
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    // Only our business if it looks like it meant to be a plugin.
    if (!text.includes('"osbuild"')) return undefined;
    return { problem: `${location.locationName} (${location.realDir}): package.json is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg) || !Object.hasOwn(pkg, 'osbuild')) return undefined;
  const fields = pkg as Record<string, unknown>;

  const packageName = typeof fields['name'] === 'string' ? fields['name'] : location.locationName;
  const version = typeof fields['version'] === 'string' ? fields['version'] : undefined;
  const checked = checkPluginField(fields['osbuild'], location.realDir);
  const problems = checked.ok ? [] : [...checked.problems];
  if (version === undefined) problems.unshift('package.json has no "version" (plugin fingerprints need one)');
  if (problems.length > 0 || !checked.ok || version === undefined) {
    return { problem: `${packageName}@${version ?? '?'} (${location.realDir}): ${problems.join('; ')}` };
  }
  return {
    record: {
      kind: checked.field.kind,
      name: checked.field.name,
      packageName,
      version,
      packageDir: location.realDir,
      schemaPath: checked.field.schemaPath,
      entryPath: checked.field.entryPath,
      capabilities: checked.field.capabilities,
      tools: checked.field.tools,
      ...(checked.field.filesystem === undefined ? {} : { filesystem: checked.field.filesystem }),
      ...(checked.field.resolvePath === undefined ? {} : { resolvePath: checked.field.resolvePath }),
      apiVersion: checked.field.apiVersion,
      foundVia: location.foundVia,
    },
  };
}

interface Conflict {
  message: string;
  line: string;
  claimants: string[];
}

function findConflicts(records: PluginRecord[]): Conflict[] {
  const byModule = new Map<string, PluginRecord[]>();
  for (const record of records) {
    const key = `${record.kind} ${record.name}`;
    byModule.set(key, [...(byModule.get(key) ?? []), record]);
  }
  const conflicts: Conflict[] = [];
  for (const [module, claimants] of byModule) {
    if (claimants.length < 2) continue;
    const names = claimants.map((r) => `${r.packageName}@${r.version} (${r.packageDir})`);
    conflicts.push({
      message: `${module} is claimed by ${claimants.length} packages:\n${names.map((n) => `  ${n}`).join('\n')}`,
      line: `${module} is claimed by ${claimants.length} packages: ${names.join(', ')}`,
      claimants: names,
    });
  }
  return conflicts;
}
