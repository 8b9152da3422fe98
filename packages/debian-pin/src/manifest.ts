/**
 * Pinned sets → manifest parts: `org.osbuild.curl` items for the sources, and
 * `org.osbuild.files` references (with metadata the Debian stages read) for
 * the stage inputs; and the template filling that puts them in place.
 */
import { OsbuildError } from '@osbuild-ts/core';
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function placeholderName(value: Json): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== PLACEHOLDER) return undefined;
  const name = value[PLACEHOLDER];
  return typeof name === 'string' ? name : '';
}

/** The description names a template refers to, in order of appearance. */
export function templateNames(template: unknown): string[] {
  const names: string[] = [];
  const walk = (value: Json): void => {
    const name = placeholderName(value);
    if (name !== undefined) {
      if (!names.includes(name)) names.push(name);
      return;
    }
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(template as Json);
  return names;
}

/**
 * Fills a manifest template: each `{"osbuild-ts:debian-pin": "<name>"}` value
 * becomes the references of that pinned set, and every pinned .deb is added to
 * `sources["org.osbuild.curl"].items` (items already there are kept).
 */
export function fillTemplate(template: unknown, sets: ReadonlyMap<string, PinnedSet>): unknown {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new OsbuildError('E_MANIFEST_INVALID', 'the template is not a JSON object');
  }
  const used = new Set<string>();
  const walk = (value: Json, path: string): Json => {
    const name = placeholderName(value);
    if (name !== undefined) {
      const set = sets.get(name);
      if (!set) {
        throw new OsbuildError('E_MANIFEST_INVALID', `${path}: no description named ${JSON.stringify(name)} (given: ${[...sets.keys()].join(', ') || 'none'})`);
      }
      used.add(name);
      return references(set.packages) as unknown as Json;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}.${k}`)]));
    }
    return value;
  };
  const filled = walk(template as Json, 'template') as Record<string, Json>;
  const sources = (filled.sources ??= {}) as Record<string, Json>;
  if (typeof sources !== 'object' || Array.isArray(sources)) throw new OsbuildError('E_MANIFEST_INVALID', 'template.sources is not an object');
  const curl = (sources['org.osbuild.curl'] ??= {}) as Record<string, Json>;
  const items = (curl.items ??= {}) as Record<string, Json>;
  const pinned = [...sets].filter(([name]) => used.has(name)).flatMap(([, set]) => set.packages);
  for (const [checksum, item] of Object.entries(curlItems(pinned))) items[checksum] ??= item;
  return filled;
}
