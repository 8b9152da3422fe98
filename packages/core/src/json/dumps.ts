/**
 * Python's `json.dumps(value, sort_keys=…, indent=…)` with its defaults
 * (`ensure_ascii=True`, `allow_nan=True`), byte for byte: osbuild hashes this
 * text for every id and prints it for `--inspect`, results and monitors.
 */
import { compareCodePoints } from './compare-keys.js';
import { pyFloatRepr } from './float-repr.js';
import type { PyJson } from './types.js';

export interface DumpsOptions {
  /** Members ordered by code point, recursively (`sort_keys=True`). */
  sortKeys?: boolean;
  /** Pretty-print with this many spaces; members then end in `,` + newline. */
  indent?: number;
}

/** Everything outside printable ASCII, plus `"` and `\`, needs escaping. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

const SHORT_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x08: '\\b',
  0x0c: '\\f',
};

/** A JSON string literal as Python writes it: ASCII only, `\u` escapes in lowercase hex. */
export function pyQuote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let chunk = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(chunk, i);
    out += SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    chunk = i + 1;
  }
  return `${out}${s.slice(chunk)}"`;
}

export function dumpsPy(value: PyJson, opts: DumpsOptions = {}): string {
  const out: string[] = [];
  const sortKeys = opts.sortKeys === true;
  if (opts.indent === undefined) writeCompact(value, out, sortKeys);
  else writeIndented(value, out, sortKeys, ' '.repeat(Math.max(0, opts.indent)), '\n');
  return out.join('');
}

function writeScalar(value: PyJson, out: string[]): boolean {
  switch (typeof value) {
    case 'string':
      out.push(pyQuote(value));
      return true;
    case 'bigint':
      out.push(value.toString());
      return true;
    case 'number':
      out.push(pyFloatRepr(value));
      return true;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return true;
    default:
      if (value === null) {
        out.push('null');
        return true;
      }
      return false;
  }
}

function entriesOf(map: Map<string, PyJson>, sortKeys: boolean): Iterable<[string, PyJson]> {
  if (!sortKeys || map.size < 2) return map;
  return [...map].sort((a, b) => compareCodePoints(a[0], b[0]));
}

function writeCompact(value: PyJson, out: string[], sortKeys: boolean): void {
  if (writeScalar(value, out)) return;
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(', ');
      writeCompact(value[i] as PyJson, out, sortKeys);
    }
    out.push(']');
    return;
  }
  if (value instanceof Map) {
    out.push('{');
    let first = true;
    for (const [key, member] of entriesOf(value, sortKeys)) {
      out.push(first ? pyQuote(key) : `, ${pyQuote(key)}`, ': ');
      first = false;
      writeCompact(member, out, sortKeys);
    }
    out.push('}');
    return;
  }
  throw notSerialisable(value);
}

function writeIndented(value: PyJson, out: string[], sortKeys: boolean, indent: string, newline: string): void {
  if (writeScalar(value, out)) return;
  const inner = newline + indent;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      out.push(i > 0 ? `,${inner}` : inner);
      writeIndented(value[i] as PyJson, out, sortKeys, indent, inner);
    }
    out.push(newline, ']');
    return;
  }
  if (value instanceof Map) {
    if (value.size === 0) {
      out.push('{}');
      return;
    }
    out.push('{');
    let first = true;
    for (const [key, member] of entriesOf(value, sortKeys)) {
      out.push(first ? inner : `,${inner}`, pyQuote(key), ': ');
      first = false;
      writeIndented(member, out, sortKeys, indent, inner);
    }
    out.push(newline, '}');
    return;
  }
  throw notSerialisable(value);
}

function notSerialisable(value: unknown): TypeError {
  const kind =
    typeof value === 'object' && value !== null
      ? ((value as { constructor?: { name?: string } }).constructor?.name ?? 'Object')
      : typeof value;
  return new TypeError(`Object of type ${kind} is not JSON serializable (expected PyJson: Map, array, string, bigint, number, boolean or null)`);
}
