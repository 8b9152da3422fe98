import type { ErrorObject } from 'ajv';
import type { JsonPath } from '../json/types.js';
import { closestNames } from '../plugins/closest-names.js';
import { formatDottedPath } from './format-path.js';

/**
 * Turns ajv's errors (compiled with `allErrors` and `verbose`, so each error
 * carries its data, schema and parent schema) into messages that say what was
 * expected and what was found. Paths follow the same conventions as Python's
 * jsonschema, which osbuild reports: a missing or unexpected property is
 * reported at the object, everything else at the offending value.
 */

export interface DescribedIssue {
  path: Array<string | number>;
  message: string;
}

interface Entry {
  pointer: string;
  schemaPath: string;
  keyword: string;
  message: string;
  /** additionalProperties: every unexpected key at this object, merged into one message like upstream's. */
  extra?: { names: string[]; error: ErrorObject };
}

export function describeErrors(errors: readonly ErrorObject[], data: unknown, base: JsonPath): DescribedIssue[] {
  const entries: Entry[] = [];
  for (const error of errors) {
    // `if` repeats what its `then`/`else` errors already say.
    if (error.keyword === 'if') continue;
    // Inside propertyNames: the propertyNames error itself sums these up.
    if ((error as { propertyName?: string }).propertyName !== undefined) continue;
    const pointer = error.instancePath;
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      const branches = takeBranchEntries(entries, error);
      entries.push({ pointer, schemaPath: error.schemaPath, keyword: error.keyword, message: describeCombinator(error, branches) });
      continue;
    }
    if (error.keyword === 'additionalProperties') {
      const name = String((error.params as { additionalProperty: string }).additionalProperty);
      const earlier = entries.find((e) => e.extra !== undefined && e.pointer === pointer && e.schemaPath === error.schemaPath);
      if (earlier?.extra !== undefined) {
        earlier.extra.names.push(name);
        earlier.message = describeAdditional(earlier.extra.names, error);
        continue;
      }
      entries.push({
        pointer,
        schemaPath: error.schemaPath,
        keyword: error.keyword,
        message: describeAdditional([name], error),
        extra: { names: [name], error },
      });
      continue;
    }
    entries.push({ pointer, schemaPath: error.schemaPath, keyword: error.keyword, message: describeKeyword(error) });
  }
  return entries.map((entry) => ({ path: [...base, ...pointerToPath(entry.pointer, data)], message: entry.message }));
}

/**
 * ajv reports the failures of every branch of a failed anyOf/oneOf just
 * before the anyOf/oneOf error itself. Those are not the user's problem (only
 * one branch was meant), so they are removed and summarised; errors of
 * sibling keywords of the same schema (e.g. `type`) are kept.
 */
function takeBranchEntries(entries: Entry[], combinator: ErrorObject): Map<number, Entry[]> & { foreign: number } {
  const own = `${combinator.schemaPath}/`;
  const parent = combinator.schemaPath.slice(0, combinator.schemaPath.lastIndexOf('/') + 1);
  const branches = Object.assign(new Map<number, Entry[]>(), { foreign: 0 });
  let i = entries.length;
  while (i > 0 && isAtOrBelow(entries[i - 1]!.pointer, combinator.instancePath)) i--;
  const kept: Entry[] = [];
  for (const entry of entries.splice(i)) {
    if (entry.schemaPath.startsWith(own)) {
      const index = Number(entry.schemaPath.slice(own.length).split('/')[0]);
      branches.set(index, [...(branches.get(index) ?? []), entry]);
    } else if (entry.schemaPath.startsWith(parent) && !/^(definitions|\$defs)\//.test(entry.schemaPath.slice(parent.length))) {
      kept.push(entry); // a sibling keyword of the same schema
    } else {
      branches.foreign++; // a branch reached through a $ref: which one is unknown
    }
  }
  entries.push(...kept);
  return branches;
}

function describeCombinator(error: ErrorObject, branches: Map<number, Entry[]> & { foreign: number }): string {
  const schemas = Array.isArray(error.schema) ? (error.schema as unknown[]) : [];
  const forms = schemas.map(describeSchema);
  const passing = (error.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (error.keyword === 'oneOf' && Array.isArray(passing)) {
    return `matches more than one allowed form (${passing.map((i) => forms[i] ?? `form ${i + 1}`).join(' and ')}); it must match exactly one`;
  }
  const expected = forms.length === 1 ? forms[0] : `one of: ${forms.join(' | ')}`;
  let message = `expected ${expected}, got ${describeValue(error.data)}`;
  // When the value's type fits exactly one branch, that branch's complaints
  // are almost certainly the ones that matter: show them.
  if (branches.foreign === 0) {
    const fitting = [...branches.entries()].filter(
      ([, list]) => !list.some((e) => e.keyword === 'type' && e.pointer === error.instancePath),
    );
    const candidates = schemas.length - (branches.size - fitting.length);
    if (fitting.length === 1 && candidates === 1) {
      const [index, list] = fitting[0]!;
      const shown = list.slice(0, 2).map((e) => {
        const rest = e.pointer.slice(error.instancePath.length);
        return rest === '' ? e.message : `${formatDottedPath(pointerToPath(rest, error.data))}: ${e.message}`;
      });
      const more = list.length > 2 ? ` (and ${list.length - 2} more)` : '';
      message += `; as ${forms[index] ?? `form ${index + 1}`}: ${shown.join('; ')}${more}`;
    }
  }
  return message;
}

function describeAdditional(names: string[], error: ErrorObject): string {
  const parent = isObject(error.parentSchema) ? error.parentSchema : {};
  const allowed = isObject(parent['properties']) ? Object.keys(parent['properties']) : [];
  const patterns = isObject(parent['patternProperties']) ? Object.keys(parent['patternProperties']) : [];
  const what = names.length === 1 ? `unexpected property ${quote(names[0]!)}` : `unexpected properties ${names.map(quote).join(', ')}`;
  const notes: string[] = [];
  if (names.length === 1) {
    const [guess] = closestNames(names[0]!, allowed, 1);
    if (guess !== undefined) notes.push(`did you mean ${quote(guess)}?`);
  }
  if (allowed.length === 0 && patterns.length === 0) {
    notes.push('no properties are allowed here');
  } else {
    const listed = allowed.length > 12 ? [...allowed.slice(0, 12), '…'] : allowed;
    const byPattern = patterns.length > 0 ? `names matching ${patterns.join(' or ')}` : '';
    notes.push(`allowed: ${[listed.join(', '), byPattern].filter((s) => s !== '').join('; ')}`);
  }
  return `${what} (${notes.join(' ')})`;
}

function describeKeyword(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const data = error.data;
  const got = describeValue(data);
  switch (error.keyword) {
    case 'type':
      return `expected ${typeNames(params['type']).map(withArticle).join(' or ')}, got ${got}`;
    case 'required':
      return `missing required property ${quote(String(params['missingProperty']))}`;
    case 'enum': {
      const values = Array.isArray(params['allowedValues']) ? params['allowedValues'] : [];
      return `expected ${values.length === 1 ? show(values[0]) : `one of ${values.map(show).join(', ')}`}, got ${got}`;
    }
    case 'const':
      return `expected ${show(params['allowedValue'])}, got ${got}`;
    case 'pattern':
      return `expected a string matching ${String(params['pattern'])}, got ${got}`;
    case 'format':
      return `expected a string in ${quote(String(params['format']))} format, got ${got}`;
    case 'minLength':
    case 'maxLength': {
      const length = typeof data === 'string' ? [...data].length : 0;
      const bound = error.keyword === 'minLength' ? 'at least' : 'at most';
      return `expected ${bound} ${count(Number(params['limit']), 'character')}, got ${length}`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `expected a number ${String(params['comparison'])} ${String(params['limit'])}, got ${got}`;
    case 'multipleOf':
      return `expected a multiple of ${String(params['multipleOf'])}, got ${got}`;
    case 'minItems':
    case 'maxItems':
    case 'additionalItems': {
      const length = Array.isArray(data) ? data.length : 0;
      const bound = error.keyword === 'minItems' ? 'at least' : 'at most';
      return `expected ${bound} ${count(Number(params['limit']), 'item')}, got ${length}`;
    }
    case 'minProperties':
    case 'maxProperties': {
      const length = isObject(data) ? Object.keys(data).length : 0;
      const bound = error.keyword === 'minProperties' ? 'at least' : 'at most';
      return `expected ${bound} ${count(Number(params['limit']), 'property', 'properties')}, got ${length}`;
    }
    case 'uniqueItems':
      return `expected unique items, but items ${String(params['j'])} and ${String(params['i'])} are equal`;
    case 'dependencies':
    case 'dependentRequired':
      return `property ${quote(String(params['property']))} requires property ${quote(String(params['missingProperty']))}`;
    case 'propertyNames':
      return `invalid property name ${quote(String(params['propertyName']))}: expected ${describeSchema(error.schema)}`;
    case 'contains':
      return `expected at least one item that is ${describeSchema(error.schema)}, got ${got}`;
    case 'not':
      return describeNot(error.schema);
    case 'false schema':
      return `no value is allowed here, got ${got}`;
    default:
      return `${error.keyword}: ${error.message ?? 'invalid'}`;
  }
}

function describeNot(schema: unknown): string {
  if (isObject(schema) && Array.isArray(schema['required']) && Object.keys(schema).length === 1) {
    const names = (schema['required'] as unknown[]).map((n) => quote(String(n)));
    return names.length === 1 ? `property ${names[0]} is not allowed here` : `properties ${names.join(', ')} must not all be present`;
  }
  return `must not be ${describeSchema(schema)}`;
}

/** A short noun phrase for a schema, used to list the forms an anyOf/oneOf allows. */
export function describeSchema(schema: unknown): string {
  if (schema === true) return 'anything';
  if (schema === false) return 'nothing';
  if (!isObject(schema)) return 'a value';
  if (typeof schema['$ref'] === 'string') return schema['$ref'].slice(schema['$ref'].lastIndexOf('/') + 1);
  if (Object.hasOwn(schema, 'const')) return show(schema['const']);
  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'] as unknown[];
    return values.length === 1 ? show(values[0]) : `one of ${values.map(show).join(', ')}`;
  }
  const types = schema['type'] === undefined ? [] : typeNames(schema['type']);
  const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]).map((n) => quote(String(n))) : [];
  let text: string | undefined;
  if (types.length === 1 && types[0] === 'array' && isObject(schema['items']) && schema['items']['type'] !== undefined) {
    text = `an array of ${typeNames(schema['items']['type']).map(plural).join(' or ')}`;
  } else if ((types.length === 0 || (types.length === 1 && types[0] === 'string')) && typeof schema['pattern'] === 'string') {
    text = `a string matching ${schema['pattern']}`;
  } else if (types.length > 0) {
    text = types.map(withArticle).join(' or ');
  }
  if (required.length > 0) text = `${text ?? 'an object'} with ${required.join(', ')}`;
  const not = schema['not'];
  if (isObject(not) && Array.isArray(not['required'])) {
    const absent = (not['required'] as unknown[]).map((n) => quote(String(n)));
    const clause = absent.length === 1 ? `without ${absent[0]}` : `without all of ${absent.join(', ')}`;
    text = text === undefined ? `an object ${clause}` : `${text} but ${clause}`;
  }
  return text ?? 'a value matching a sub-schema';
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return `a boolean (${value})`;
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)})`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${count(value.length, 'item')}`;
  if (isObject(value)) return Object.keys(value).length === 0 ? 'an empty object' : 'an object';
  return String(value);
}

function typeNames(type: unknown): string[] {
  if (Array.isArray(type)) return type.map(String);
  return String(type).split(',');
}

function withArticle(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function plural(type: string): string {
  return type === 'null' ? 'nulls' : `${type}s`;
}

function count(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAtOrBelow(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** JSON pointer → path, with array indices as numbers (the data tells which segments are indices). */
function pointerToPath(pointer: string, data: unknown): Array<string | number> {
  const out: Array<string | number> = [];
  let current: unknown = data;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(current)) {
      const index = Number(segment);
      out.push(index);
      current = current[index];
    } else {
      out.push(segment);
      current = isObject(current) && Object.hasOwn(current, segment) ? current[segment] : undefined;
    }
  }
  return out;
}
