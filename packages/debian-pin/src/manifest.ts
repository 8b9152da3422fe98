/**
 * Pinned sets → manifest parts: `org.osbuild.curl` items for the sources, and
 * `org.osbuild.files` references (with metadata the Debian stages read) for
 * the stage inputs; and the template filling that puts them in place.
 */
import { fillPlaceholders, mergeItems, templateNames as namesIn, templateSource } from '@osbuild-ts/pin-kit';
import { METADATA } from './metadata.js';
import type { PinnedPackage } from './resolve.js';
import type { PinnedSet } from './pin.js';

/** Prefix of the placeholder key in a template: `"references": {"osbuild-ts:debian-pin": "<name>"}`. */
export const PLACEHOLDER = 'osbuild-ts:debian-pin';

export type CurlItems = Record<string, { url: string }>;

export interface Reference {
  id: string;
  options: { metadata: Record<string, string> };
}

export function checksumOf(p: PinnedPackage): string {
  return `sha256:${p.sha256}`;
}

export function curlItems(packages: readonly PinnedPackage[]): CurlItems {
  const items: CurlItems = {};
  for (const p of packages) items[checksumOf(p)] ??= { url: p.url };
  return items;
}

/** The input's references, in the set's order, in osbuild's array form (it keeps order explicitly). */
export function references(packages: readonly PinnedPackage[]): Reference[] {
  return packages.map((p) => ({
    id: checksumOf(p),
    options: { metadata: { [METADATA.package]: p.name, [METADATA.version]: p.version, [METADATA.priority]: p.priority } },
  }));
}

/** What the CLI prints without a template. */
export function pinDocument(sets: ReadonlyMap<string, PinnedSet>): Record<string, unknown> {
  const all = [...sets.values()].flatMap((s) => s.packages);
  return {
    sources: { 'org.osbuild.curl': { items: curlItems(all) } },
    references: Object.fromEntries([...sets].map(([name, set]) => [name, references(set.packages)])),
  };
}

const PLACEHOLDER_KEYS = { [PLACEHOLDER]: 'packages' } as const;

/** The description names a template refers to, in order of appearance. */
export function templateNames(template: unknown): string[] {
  return namesIn(template, PLACEHOLDER_KEYS);
}

/**
 * Fills a manifest template: each `{"osbuild-ts:debian-pin": "<name>"}` value
 * becomes the references of that pinned set, and every pinned .deb is added to
 * `sources["org.osbuild.curl"].items` (items already there are kept).
 */
export function fillTemplate(template: unknown, sets: ReadonlyMap<string, PinnedSet>): unknown {
  const used = new Set<string>();
  const filled = fillPlaceholders(template, PLACEHOLDER_KEYS, sets, ({ name }, set) => {
    used.add(name);
    return references(set.packages);
  });
  const pinned = [...sets].filter(([name]) => used.has(name)).flatMap(([, set]) => set.packages);
  mergeItems(templateSource(filled, 'org.osbuild.curl'), curlItems(pinned));
  return filled;
}
