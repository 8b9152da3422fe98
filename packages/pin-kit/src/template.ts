/**
 * Manifest templates: JSON in which a value `{"<placeholder key>": "<name>"}`
 * stands for the references a pin tool makes for the description `<name>`.
 * Each tool names its keys and what each kind of placeholder becomes.
 */
import { OsbuildError } from '@osbuild-ts/core';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A tool's placeholder keys, each with the kind of references it stands for. */
export type PlaceholderKeys<K extends string = string> = Readonly<Record<string, K>>;

export interface Placeholder<K extends string = string> {
  kind: K;
  /** The description's name; `''` when the placeholder's value is not a string. */
  name: string;
}

/** The placeholder `value` is, or undefined: an object whose only key is one of `keys`. */
export function placeholderIn<K extends string>(value: unknown, keys: PlaceholderKeys<K>): Placeholder<K> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const own = Object.keys(value);
  if (own.length !== 1 || !Object.hasOwn(keys, own[0]!)) return undefined;
  const name = (value as Record<string, unknown>)[own[0]!];
  return { kind: keys[own[0]!]!, name: typeof name === 'string' ? name : '' };
}

/** The description names a template refers to, in order of appearance. */
export function templateNames(template: unknown, keys: PlaceholderKeys): string[] {
  const names: string[] = [];
  const walk = (value: unknown): void => {
    const found = placeholderIn(value, keys);
    if (found !== undefined) {
      if (!names.includes(found.name)) names.push(found.name);
      return;
    }
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(template);
  return names;
}

/**
 * A copy of the template with each placeholder replaced by `referencesFor`
 * of its set (the template itself is left alone). A name no set has is an
 * error naming the placeholder's path (`template.pipelines[0]…`).
 */
export function fillPlaceholders<K extends string, S>(
  template: unknown,
  keys: PlaceholderKeys<K>,
  sets: ReadonlyMap<string, S>,
  referencesFor: (found: Placeholder<K>, set: S) => unknown,
): Record<string, Json> {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new OsbuildError('E_MANIFEST_INVALID', 'the template is not a JSON object');
  }
  const walk = (value: Json, path: string): Json => {
    const found = placeholderIn(value, keys);
    if (found !== undefined) {
      const set = sets.get(found.name);
      if (set === undefined) {
        throw new OsbuildError('E_MANIFEST_INVALID', `${path}: no description named ${JSON.stringify(found.name)} (given: ${[...sets.keys()].join(', ') || 'none'})`);
      }
      return referencesFor(found, set) as Json;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}.${k}`)]));
    return value;
  };
  return walk(template as Json, 'template') as Record<string, Json>;
}

/** `sources[<source>]` of a filled template, made (with `sources`) where missing. */
export function templateSource(filled: Record<string, Json>, source: string): Record<string, Json> {
  const sources = (filled['sources'] ??= {}) as Record<string, Json>;
  if (typeof sources !== 'object' || Array.isArray(sources)) throw new OsbuildError('E_MANIFEST_INVALID', 'template.sources is not an object');
  return (sources[source] ??= {}) as Record<string, Json>;
}

/** Adds items to a source section; an item the template already has is kept as written. */
export function mergeItems(section: Record<string, Json>, items: Readonly<Record<string, unknown>>): void {
  const existing = (section['items'] ??= {}) as Record<string, Json>;
  for (const [checksum, item] of Object.entries(items)) existing[checksum] ??= item as Json;
}
