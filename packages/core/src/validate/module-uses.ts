import type { PluginKind } from '../plugins/types.js';

/**
 * Every place a manifest names a module, with the parts of it that the
 * module's schema checks. Follows osbuild's formats/v1.py and v2.py
 * `validate()`, including their quirks (noted inline), but never crashes on
 * shapes those would crash on: the structure schema reports those.
 */

import type { SchemaPart } from './plugin-schema-file.js';

export type { SchemaPart };

export interface ModuleUse {
  kind: PluginKind;
  name: string;
  /** Where the module is named; unknown-module errors are reported here. */
  path: Array<string | number>;
  parts: Array<{ part: SchemaPart; value: unknown; path: Array<string | number> }>;
}

type Path = Array<string | number>;
type Obj = Record<string, unknown>;

export function moduleUses(doc: unknown, version: '1' | '2'): ModuleUse[] {
  const uses: ModuleUse[] = [];
  if (!isObject(doc)) return uses;
  if (version === '1') {
    collectV1Pipeline(doc['pipeline'], ['pipeline'], uses);
    collectV1Sources(doc['sources'], uses);
  } else {
    collectV2Sources(doc['sources'], uses);
    const pipelines = doc['pipelines'];
    if (Array.isArray(pipelines)) {
      pipelines.forEach((pipeline, i) => {
        if (!isObject(pipeline) || !Array.isArray(pipeline['stages'])) return;
        pipeline['stages'].forEach((stage, j) => collectV2Stage(stage, ['pipelines', i, 'stages', j], uses));
      });
    }
  }
  return uses;
}

function collectV1Pipeline(pipeline: unknown, path: Path, uses: ModuleUse[]): void {
  if (!isObject(pipeline)) return;
  const build = pipeline['build'];
  // Upstream recurses only into a truthy build pipeline (`{}` is skipped).
  if (isObject(build) && truthy(build['pipeline'])) {
    collectV1Pipeline(build['pipeline'], [...path, 'build', 'pipeline'], uses);
  }
  const stages = pipeline['stages'];
  if (Array.isArray(stages)) {
    stages.forEach((stage, i) => {
      if (isObject(stage) && typeof stage['name'] === 'string') {
        uses.push(use('stage', stage['name'], [...path, 'stages', i], stage, ['options']));
      }
    });
  }
  const assembler = pipeline['assembler'];
  // `if asm:` upstream: an empty assembler object is not looked up.
  if (isObject(assembler) && truthy(assembler) && typeof assembler['name'] === 'string') {
    uses.push(use('assembler', assembler['name'], [...path, 'assembler'], assembler, ['options']));
  }
}

function collectV1Sources(sources: unknown, uses: ModuleUse[]): void {
  if (!isObject(sources)) return;
  for (const [written, source] of Object.entries(sources)) {
    // org.osbuild.files is the old name of org.osbuild.curl. Upstream also
    // reports errors under the new name (`.sources.org.osbuild.curl…`), and
    // paths are part of the contract, so we do too.
    const name = written === 'org.osbuild.files' ? 'org.osbuild.curl' : written;
    const path: Path = ['sources', name];
    const parts: ModuleUse['parts'] = [];
    if (isObject(source)) {
      // v1 sources keep their items under a source-specific key.
      for (const key of ['items', 'urls', 'commits']) {
        if (Object.hasOwn(source, key)) parts.push({ part: 'items', value: source[key], path: [...path, key] });
      }
      if (Object.hasOwn(source, 'options')) parts.push({ part: 'options', value: source['options'], path: [...path, 'options'] });
    }
    uses.push({ kind: 'source', name, path, parts });
  }
}

function collectV2Sources(sources: unknown, uses: ModuleUse[]): void {
  if (!isObject(sources)) return;
  for (const [name, source] of Object.entries(sources)) {
    uses.push(use('source', name, ['sources', name], isObject(source) ? source : {}, ['items', 'options']));
  }
}

function collectV2Stage(stage: unknown, path: Path, uses: ModuleUse[]): void {
  if (!isObject(stage) || typeof stage['type'] !== 'string') return;
  uses.push(use('stage', stage['type'], path, stage, ['options', 'inputs', 'devices', 'mounts']));
  collectServices('device', stage['devices'], [...path, 'devices'], uses);
  collectServices('input', stage['inputs'], [...path, 'inputs'], uses);
  collectServices('mount', stage['mounts'], [...path, 'mounts'], uses);
}

/**
 * Inputs, devices and mounts of one stage. Upstream turns a list (mounts) into
 * a dict keyed by `name` first, so mount errors are reported under the mount's
 * *name*, not its index, and of two mounts with one name only the last is
 * checked.
 */
function collectServices(kind: PluginKind, group: unknown, path: Path, uses: ModuleUse[]): void {
  let members: Array<[string, unknown]>;
  if (Array.isArray(group)) {
    const byName = new Map<string, unknown>();
    for (const member of group) {
      if (isObject(member) && typeof member['name'] === 'string') byName.set(member['name'], member);
    }
    members = [...byName];
  } else if (isObject(group)) {
    members = Object.entries(group);
  } else {
    return;
  }
  for (const [name, member] of members) {
    // `if not name: return` upstream: a missing or empty type is not looked up.
    if (!isObject(member) || typeof member['type'] !== 'string' || member['type'] === '') continue;
    uses.push(use(kind, member['type'], [...path, name], member, ['options']));
  }
}

/** Absent keys are not checked at all — an upstream quirk (spec 1.7) we keep. */
function use(kind: PluginKind, name: string, path: Path, holder: Obj, parts: SchemaPart[]): ModuleUse {
  return {
    kind,
    name,
    path,
    parts: parts.filter((p) => Object.hasOwn(holder, p)).map((p) => ({ part: p, value: holder[p], path: [...path, p] })),
  };
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python truthiness for JSON values. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}
