/**
 * Pinned sets → manifest parts: the `org.osbuild.librepo` source (items and
 * mirrors) and `org.osbuild.files` references for stage inputs — the
 * packages, and the repository metadata — and the template filling that
 * puts them in place.
 */
import { OsbuildError } from '@osbuild-ts/core';
import type { PinnedPackage, PinnedRepository, PinnedSet } from './pin.js';

/** `"references": {"osbuild-ts:dnf-depsolve": "<name>"}` → the set's packages. */
export const PACKAGES_PLACEHOLDER = 'osbuild-ts:dnf-depsolve';
/** `"references": {"osbuild-ts:dnf-repodata": "<name>"}` → the set's repository metadata (repomd.xml and the files dnf reads). */
export const REPODATA_PLACEHOLDER = 'osbuild-ts:dnf-repodata';

/** Metadata keys on the references (`prefix.name`, as osbuild's files input requires). */
export const METADATA = {
  nevra: 'rpm.nevra',
  repo: 'dnf.repo',
  path: 'dnf.path',
  type: 'dnf.type',
} as const;

export interface LibrepoItem {
  path: string;
  mirror: string;
}

export interface LibrepoSource {
  items: Record<string, LibrepoItem>;
  options: { mirrors: Record<string, PinnedRepository['mirror']> };
}

export interface Reference {
  id: string;
  options: { metadata: Record<string, string> };
}

export function nevra(p: PinnedPackage): string {
  return `${p.name}-${p.epoch}:${p.version}-${p.release}.${p.arch}`;
}

/** The packages, in the set's order, in osbuild's ordered array form. */
export function packageReferences(set: PinnedSet): Reference[] {
  return set.packages.map((p) => ({
    id: p.checksum,
    options: { metadata: { [METADATA.nevra]: nevra(p), [METADATA.repo]: p.repo, [METADATA.path]: p.path } },
  }));
}

/** Each repository's repomd.xml and the metadata files it lists that dnf reads. */
export function repodataReferences(set: PinnedSet): Reference[] {
  return set.repositories.flatMap((r) =>
    r.metadata.map((file) => ({
      id: file.checksum,
      options: { metadata: { [METADATA.repo]: r.id, [METADATA.path]: file.path, [METADATA.type]: file.type } },
    })),
  );
}

/**
 * The `org.osbuild.librepo` source for the parts of the sets used: the
 * packages of `packages`, the metadata of `repodata`. A repository id that
 * two sets give different URLs is an error (it is one mirror id).
 */
export function librepoSource(packages: readonly PinnedSet[], repodata: readonly PinnedSet[] = []): LibrepoSource {
  const source: LibrepoSource = { items: {}, options: { mirrors: {} } };
  const addMirror = (set: PinnedSet, repository: PinnedRepository) => {
    const known = source.options.mirrors[repository.id];
    if (known !== undefined && !sameMirror(known, repository.mirror)) {
      throw new OsbuildError('E_USAGE', `repository id ${repository.id} means ${describe(known)} in one description and ${describe(repository.mirror)} in ${set.name}`, {
        hint: 'Give different repositories different ids.',
      });
    }
    source.options.mirrors[repository.id] = repository.mirror;
  };
  for (const set of packages) {
    for (const repository of set.repositories) if (set.packages.some((p) => p.repo === repository.id)) addMirror(set, repository);
    for (const p of set.packages) source.items[p.checksum] ??= { path: p.path, mirror: p.repo };
  }
  for (const set of repodata) {
    for (const repository of set.repositories) {
      addMirror(set, repository);
      for (const file of repository.metadata) source.items[file.checksum] ??= { path: file.path, mirror: repository.id };
    }
  }
  return source;
}

function sameMirror(a: PinnedRepository['mirror'], b: PinnedRepository['mirror']): boolean {
  return a.url === b.url && a.type === b.type && (a.insecure === true) === (b.insecure === true);
}

function describe(m: PinnedRepository['mirror']): string {
  return `${m.type} ${m.url}${m.insecure ? ' (insecure)' : ''}`;
}

/** What the CLI prints without a template. */
export function pinDocument(sets: ReadonlyMap<string, PinnedSet>): Record<string, unknown> {
  const all = [...sets.values()];
  return {
    sources: { 'org.osbuild.librepo': librepoSource(all, all) },
    references: Object.fromEntries(all.map((set) => [set.name, packageReferences(set)])),
    repodata: Object.fromEntries(all.map((set) => [set.name, repodataReferences(set)])),
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function placeholder(value: Json): { kind: 'packages' | 'repodata'; name: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const kind = keys[0] === PACKAGES_PLACEHOLDER ? 'packages' : keys[0] === REPODATA_PLACEHOLDER ? 'repodata' : undefined;
  if (kind === undefined) return undefined;
  const name = value[keys[0]!];
  return { kind, name: typeof name === 'string' ? name : '' };
}

/** The description names a template refers to, in order of appearance. */
export function templateNames(template: unknown): string[] {
  const names: string[] = [];
  const walk = (value: Json): void => {
    const found = placeholder(value);
    if (found !== undefined) {
      if (!names.includes(found.name)) names.push(found.name);
      return;
    }
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(template as Json);
  return names;
}

/**
 * Fills a manifest template: each placeholder becomes the references of
 * that set, and what they reference is added to
 * `sources["org.osbuild.librepo"]` (items already there are kept; a mirror
 * id the template already defines differently is an error).
 */
export function fillTemplate(template: unknown, sets: ReadonlyMap<string, PinnedSet>): unknown {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new OsbuildError('E_MANIFEST_INVALID', 'the template is not a JSON object');
  }
  const used = { packages: new Set<PinnedSet>(), repodata: new Set<PinnedSet>() };
  const walk = (value: Json, path: string): Json => {
    const found = placeholder(value);
    if (found !== undefined) {
      const set = sets.get(found.name);
      if (set === undefined) {
        throw new OsbuildError('E_MANIFEST_INVALID', `${path}: no description named ${JSON.stringify(found.name)} (given: ${[...sets.keys()].join(', ') || 'none'})`);
      }
      used[found.kind].add(set);
      return (found.kind === 'packages' ? packageReferences(set) : repodataReferences(set)) as unknown as Json;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}.${k}`)]));
    return value;
  };
  const filled = walk(template as Json, 'template') as Record<string, Json>;
  const pinned = librepoSource([...used.packages], [...used.repodata]);
  if (Object.keys(pinned.items).length === 0) return filled;

  const sources = (filled['sources'] ??= {}) as Record<string, Json>;
  if (typeof sources !== 'object' || Array.isArray(sources)) throw new OsbuildError('E_MANIFEST_INVALID', 'template.sources is not an object');
  const librepo = (sources['org.osbuild.librepo'] ??= {}) as Record<string, Json>;
  const items = (librepo['items'] ??= {}) as Record<string, Json>;
  const options = (librepo['options'] ??= {}) as Record<string, Json>;
  const mirrors = (options['mirrors'] ??= {}) as Record<string, Json>;
  for (const [id, mirror] of Object.entries(pinned.options.mirrors)) {
    const existing = mirrors[id] as PinnedRepository['mirror'] | undefined;
    if (existing !== undefined && !sameMirror(existing, mirror)) {
      throw new OsbuildError('E_MANIFEST_INVALID', `template.sources["org.osbuild.librepo"].options.mirrors.${id} is ${describe(existing)}, but the repository ${id} is ${describe(mirror)}`, {
        hint: 'Remove the mirror from the template (the tool writes it), or give the repository another id.',
      });
    }
    mirrors[id] = mirror as unknown as Json;
  }
  for (const [checksum, item] of Object.entries(pinned.items)) items[checksum] ??= item as unknown as Json;
  return filled;
}
