import { builtinPlugins } from './builtins.js';
import { closestNames } from './closest-names.js';
import type { DiscoveryInfo, PluginKind, PluginRecord, Registry } from './types.js';

const KIND_ORDER: Record<PluginKind, number> = { stage: 0, assembler: 1, source: 2, input: 3, device: 4, mount: 5 };

/**
 * A lookup over plugin records. Records must already be conflict-free (one
 * per kind and name): `discoverPlugins` guarantees it, and tests building a
 * registry by hand get the last record if they do not.
 */
export function createRegistry(records: Iterable<PluginRecord>, discovery?: Partial<DiscoveryInfo>): Registry {
  const byKey = new Map<string, PluginRecord>();
  const namesByKind = new Map<PluginKind, string[]>();
  for (const record of records) byKey.set(keyOf(record.kind, record.name), record);
  const sorted = [...byKey.values()].sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  for (const record of sorted) {
    const names = namesByKind.get(record.kind) ?? [];
    names.push(record.name);
    namesByKind.set(record.kind, names);
  }
  const info: DiscoveryInfo = {
    projectDir: discovery?.projectDir ?? '',
    cacheDir: discovery?.cacheDir ?? null,
    fromCache: discovery?.fromCache ?? false,
    searched: discovery?.searched ?? [],
  };
  let builtins: Map<string, PluginRecord> | undefined;
  const builtin = (kind: PluginKind, name: string) => {
    builtins ??= new Map(builtinPlugins().map((r) => [keyOf(r.kind, r.name), r]));
    return builtins.get(keyOf(kind, name));
  };
  return {
    // Installed plugins first; the engine's own modules (builtins.ts) otherwise.
    get: (kind, name) => byKey.get(keyOf(kind, name)) ?? builtin(kind, name),
    list: () => [...sorted],
    closest: (kind, name) => closestNames(name, namesByKind.get(kind) ?? []),
    discovery: info,
  };
}

function keyOf(kind: PluginKind, name: string): string {
  return `${kind}\0${name}`;
}
