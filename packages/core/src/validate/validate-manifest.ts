import type { PyJson } from '../json/types.js';
import type { PluginKind, PluginRecord, Registry } from '../plugins/types.js';
import { PLUGIN_KINDS } from '../plugins/types.js';
import { providerAdvice } from '../plugins/catalogue.js';
import { describeErrors } from './describe-errors.js';
import { formatDottedPath } from './format-path.js';
import { manifestValidatorRequest } from './manifest-schema.js';
import { moduleUses } from './module-uses.js';
import { pluginValidatorRequest } from './plugin-schema.js';
import { sortIssues } from './sort-issues.js';
import { toPlain } from './to-plain.js';
import type { ValidationIssue } from './types.js';
import { loadValidators, type Validator } from './validator-bundle.js';

export interface ValidateOptions {
  /**
   * Where compiled validators are cached across runs. Default: the
   * registry's cache directory (next to the discovered node_modules).
   * `null`: compile in memory only.
   */
  cacheDir?: string | null;
}

/**
 * Checks a manifest's structure and every module's part against its plugin's
 * schema, as osbuild's `validate()` does (spec 1.7). Returns all issues,
 * de-duplicated and sorted by osbuild's dotted path; empty means valid.
 * The format is decided by the caller: no `version` → v1, `"2"` → v2 (other
 * values never reach here). Only the schemas of modules the manifest uses are
 * loaded. Throws only when a plugin's own schema is broken.
 */
export function validateManifest(doc: PyJson, registry: Registry, options: ValidateOptions = {}): ValidationIssue[] {
  const cacheDir = options.cacheDir === undefined ? registry.discovery.cacheDir : options.cacheDir;
  const version = doc instanceof Map && doc.has('version') ? '2' : '1';
  const plain = toPlain(doc);
  const issues: ValidationIssue[] = [];

  const uses = moduleUses(plain, version);
  // Only the plugins this manifest names are loaded, all in one go.
  const plugins = new Map<PluginRecord, number>();
  for (const use of uses) {
    const plugin = registry.get(use.kind, use.name);
    if (plugin !== undefined && use.parts.length > 0 && !plugins.has(plugin)) plugins.set(plugin, plugins.size + 1);
  }
  const loaded = loadValidators([manifestValidatorRequest(version), ...[...plugins.keys()].map(pluginValidatorRequest)], cacheDir);

  const structure = loaded.sets[0]?.['manifest'] as Validator;
  if (!structure(plain)) issues.push(...describeErrors(structure.errors ?? [], plain, []).map((i) => hintVersion(i, version, plain)));
  if (version === '2') issues.push(...floatEpochs(doc));
  // A part the structure already rejected (e.g. options that are not an
  // object) would only be reported twice, more confusingly.
  const rejected = new Set(issues.map((issue) => formatDottedPath(issue.path)));

  for (const use of uses) {
    const plugin = registry.get(use.kind, use.name);
    if (plugin === undefined) {
      issues.push({ path: use.path, message: unknownModule(use.kind, use.name, registry) });
      continue;
    }
    const validators = loaded.sets[plugins.get(plugin) ?? -1] ?? {};
    const label = `${plugin.packageName}@${plugin.version}`;
    for (const part of use.parts) {
      if (rejected.has(formatDottedPath(part.path))) continue;
      const validate = validators[part.part];
      if (validate === undefined || validate(part.value)) continue; // no schema for a part: anything goes
      for (const issue of describeErrors(validate.errors ?? [], part.value, part.path)) issues.push({ ...issue, plugin: label });
    }
  }
  loaded.persist();
  return sortIssues(issues);
}

const CONVERT = 'osbuild convert MANIFEST rewrites it as a valid version 2 manifest';

/**
 * Says which format an issue's key belongs to when a manifest mixes them: a
 * v1 manifest with v2's `pipelines` almost always just lacks
 * `"version": "2"`; a `"version": "2"` manifest with v1's top-level
 * `pipeline`/`assembler` or stages keyed by `name` was written from v1
 * examples (the seed documents' own examples are such a mix).
 */
function hintVersion(issue: ValidationIssue, version: '1' | '2', plain: unknown): ValidationIssue {
  const note = (text: string): ValidationIssue => ({ ...issue, message: `${issue.message}; ${text}` });
  if (version === '1') {
    const forgot = issue.path.length === 0 && isObject(plain) && Object.hasOwn(plain, 'pipelines');
    return forgot && issue.message.includes('"pipelines"') ? note('a version 2 manifest needs "version": "2"') : issue;
  }
  const [first, , third, , fifth] = issue.path;
  if (issue.path.length === 0 && issue.message.includes('"assembler"')) {
    return note(`"assembler" is a version 1 key: in version 2 the assembler is a stage (e.g. org.osbuild.qemu) in a pipeline of its own that takes the tree as an input; ${CONVERT}`);
  }
  if (issue.path.length === 0 && issue.message.includes('"pipeline"')) {
    return note(`"pipeline" is a version 1 key: version 2 lists named pipelines under "pipelines"; ${CONVERT}`);
  }
  const isStage = issue.path.length === 4 && first === 'pipelines' && third === 'stages' && fifth === undefined;
  if (isStage && (issue.message.includes('"name"') || issue.message.includes('"type"'))) {
    const stage = stageAt(plain, issue.path);
    if (isObject(stage) && Object.hasOwn(stage, 'name') && !Object.hasOwn(stage, 'type')) {
      return note(`version 1 stages are keyed by "name", version 2 stages by "type"; ${CONVERT}`);
    }
  }
  return issue;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stageAt(plain: unknown, path: readonly (string | number)[]): unknown {
  let node: unknown = plain;
  for (const key of path) node = isObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

/**
 * Upstream validates with draft-4 rules, where `1.0` is not an integer; the
 * plain values ajv sees cannot tell 1.0 from 1, so the one integer in the
 * manifest structure (`source-epoch`) is checked on the PyJson here. (Plugin
 * schemas accept 1.0 as an integer; see README.)
 */
function floatEpochs(doc: PyJson): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const pipelines = doc instanceof Map ? doc.get('pipelines') : undefined;
  if (!Array.isArray(pipelines)) return issues;
  pipelines.forEach((pipeline, i) => {
    if (!(pipeline instanceof Map)) return;
    const epoch = pipeline.get('source-epoch');
    // Non-integral floats are already rejected by the schema.
    if (typeof epoch === 'number' && (Number.isInteger(epoch) || !Number.isFinite(epoch))) {
      issues.push({ path: ['pipelines', i, 'source-epoch'], message: `expected an integer, got a float (${epoch})` });
    }
  });
  return issues;
}

const PLURAL: Record<PluginKind, string> = {
  stage: 'stages',
  assembler: 'assemblers',
  source: 'sources',
  input: 'inputs',
  device: 'devices',
  mount: 'mounts',
};

/** osbuild's message, then what we know that helps: near names, and what is installed. */
function unknownModule(kind: PluginKind, name: string, registry: Registry): string {
  let message = `could not find schema information for '${name}'`;
  const suggestions = registry.closest(kind, name);
  if (suggestions.length > 0) message += ` (did you mean: ${suggestions.join(', ')}?)`;
  const installed = registry.list().filter((p) => p.kind === kind).length;
  const where = registry.discovery.projectDir === '' ? '' : ` (looked in node_modules from ${registry.discovery.projectDir} upwards)`;
  message +=
    installed === 0
      ? `; no ${PLURAL[kind]} are installed${where}`
      : `; ${installed} ${installed === 1 ? kind : PLURAL[kind]} ${installed === 1 ? 'is' : 'are'} installed`;
  const otherKinds = PLUGIN_KINDS.filter((k) => k !== kind && registry.get(k, name) !== undefined);
  if (otherKinds.length > 0) message += `; '${name}' is installed as ${otherKinds.map((k) => `${article(k)} ${k}`).join(' and ')}, not as ${article(kind)} ${kind}`;
  else {
    const advice = providerAdvice(kind, name);
    if (advice !== undefined) message += `; ${advice}`;
  }
  return message;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
