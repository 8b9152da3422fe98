/**
 * Pinned sets → manifest parts: the `org.osbuild.librepo` source (items and
 * mirrors) and `org.osbuild.files` references for stage inputs — the
 * packages, and the repository metadata — and the template filling that
 * puts them in place.
 */
import { OsbuildError } from '@osbuild-ts/core';
import { fillPlaceholders, mergeItems, templateNames as namesIn, templateSource, type Json } from '@osbuild-ts/pin-kit';
import { nevra } from './nevra.js';
import type { PinnedRepository, PinnedSet } from './pin.js';

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

const PLACEHOLDER_KEYS = { [PACKAGES_PLACEHOLDER]: 'packages', [REPODATA_PLACEHOLDER]: 'repodata' } as const;

/** The description names a template refers to, in order of appearance. */
export function templateNames(template: unknown): string[] {
  return namesIn(template, PLACEHOLDER_KEYS);
}

/**
 * Fills a manifest template: each placeholder becomes the references of
 * that set, and what they reference is added to
 * `sources["org.osbuild.librepo"]` (items already there are kept; a mirror
 * id the template already defines differently is an error).
 */
export function fillTemplate(template: unknown, sets: ReadonlyMap<string, PinnedSet>): unknown {
  const used = { packages: new Set<PinnedSet>(), repodata: new Set<PinnedSet>() };
  const filled = fillPlaceholders(template, PLACEHOLDER_KEYS, sets, ({ kind }, set) => {
    used[kind].add(set);
    return kind === 'packages' ? packageReferences(set) : repodataReferences(set);
  });
  const pinned = librepoSource([...used.packages], [...used.repodata]);
  if (Object.keys(pinned.items).length === 0) return filled;

  const librepo = templateSource(filled, 'org.osbuild.librepo');
  // Items first, so that a section the tool adds reads {items, options}.
  mergeItems(librepo, pinned.items);
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
  return filled;
}
