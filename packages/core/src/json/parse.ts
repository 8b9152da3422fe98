/**
 * A JSON reader with the semantics of Python's `json.loads`, because osbuild's
 * ids and printed documents depend on them (spec 2.1):
 * - object member order is kept; a repeated key keeps its first position and
 *   takes its last value (exactly what `Map.set` does);
 * - a number token without `.`, `e`, `E` is an int (bigint, `-0` → 0n),
 *   anything else a float (number; `1e400` → Infinity);
 * - the literals `NaN`, `Infinity` and `-Infinity` are accepted;
 * - `\uXXXX` escapes may leave lone surrogates, strings stay UTF-16.
 *
 * Hand-written: one pass over char codes, no regular expression per char.
 */
import { OsbuildError } from '../errors.js';
import type { PyJson, PyObject } from './types.js';

/** Python's own recursion limit stops it at about this depth, so nobody needs more. */
const MAX_DEPTH = 1000;

// Parser state lives at module level: parsing is synchronous and this keeps
// the hot loops free of closures.
let text = '';
let pos = 0;
let depth = 0;

class ParseFailure {
  constructor(
    readonly at: number,
    readonly what: string,
  ) {}
}

function fail(what: string, at = pos): never {
  throw new ParseFailure(at, what);
}

/**
 * Parses `input` like Python's `json.loads`. `source` names the input in error
 * messages (`manifest.json is not valid JSON: expected ',' or '}' at line 3, column 5`).
 */
export function parsePyJson(input: string, source = 'input'): PyJson {
  text = input;
  pos = 0;
  depth = 0;
  try {
    if (input.charCodeAt(0) === 0xfeff) {
      fail('unexpected byte order mark (U+FEFF); save the file as UTF-8 without BOM');
    }
    skipWhitespace();
    const value = parseValue();
    skipWhitespace();
    if (pos < text.length) fail('unexpected data after the JSON value');
    return value;
  } catch (error) {
    if (error instanceof ParseFailure) throw syntaxError(input, source, error);
    throw error;
  } finally {
    text = '';
  }
}

function syntaxError(input: string, source: string, failure: ParseFailure): OsbuildError {
  const { line, column } = lineAndColumn(input, failure.at);
  return new OsbuildError(
    'E_MANIFEST_JSON',
    `${source} is not valid JSON: ${failure.what} at line ${line}, column ${column}`,
    { details: { source, line, column, offset: failure.at } },
  );
}

/** 1-based line and column; the column counts code points, as editors do. */
export function lineAndColumn(input: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < input.length; i++) {
    if (input.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  let column = 1;
  for (let i = lineStart; i < offset && i < input.length; i++) {
    const unit = input.charCodeAt(i);
    const next = input.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff && i + 1 < offset) i++;
    column++;
  }
  return { line, column };
}

function skipWhitespace(): void {
  for (;;) {
    const c = text.charCodeAt(pos);
    // JSON whitespace only: space, tab, newline, carriage return.
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return;
  }
}

function parseValue(): PyJson {
  const c = text.charCodeAt(pos);
  switch (c) {
    case 0x22: // "
      return parseString();
    case 0x7b: // {
      return parseObject();
    case 0x5b: // [
      return parseArray();
    case 0x6e: // n
      return literal('null', null);
    case 0x74: // t
      return literal('true', true);
    case 0x66: // f
      return literal('false', false);
    case 0x4e: // N
      return literal('NaN', Number.NaN);
    case 0x49: // I
      return literal('Infinity', Number.POSITIVE_INFINITY);
    case 0x2d: // -
      if (text.charCodeAt(pos + 1) === 0x49) return literal('-Infinity', Number.NEGATIVE_INFINITY);
      return parseNumber();
    default:
      if (c >= 0x30 && c <= 0x39) return parseNumber();
      return fail(pos >= text.length ? 'expected a value but the input ended' : 'expected a value');
  }
}

function literal<T extends PyJson>(word: string, value: T): T {
  if (!text.startsWith(word, pos)) fail('expected a value');
  pos += word.length;
  return value;
}

function parseNumber(): bigint | number {
  const start = pos;
  if (text.charCodeAt(pos) === 0x2d) pos++;
  const first = text.charCodeAt(pos);
  if (first === 0x30) {
    pos++;
  } else if (first >= 0x31 && first <= 0x39) {
    pos++;
    while (isDigit(text.charCodeAt(pos))) pos++;
  } else {
    return fail('expected a value', start);
  }
  let isFloat = false;
  // Like Python, a '.' or 'e' without digits after it is not part of the
  // number: `1.` reads as the int 1 followed by an unexpected '.'.
  if (text.charCodeAt(pos) === 0x2e && isDigit(text.charCodeAt(pos + 1))) {
    isFloat = true;
    pos += 2;
    while (isDigit(text.charCodeAt(pos))) pos++;
  }
  const e = text.charCodeAt(pos);
  if (e === 0x65 || e === 0x45) {
    let p = pos + 1;
    const sign = text.charCodeAt(p);
    if (sign === 0x2b || sign === 0x2d) p++;
    if (isDigit(text.charCodeAt(p))) {
      isFloat = true;
      pos = p + 1;
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
  }
  const token = text.slice(start, pos);
  if (isFloat) return Number(token);
  // Small ints skip the slower string → bigint conversion.
  return pos - start < 16 ? BigInt(Number(token)) : BigInt(token);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function parseString(): string {
  const start = pos;
  pos++; // opening quote
  const chunkStart = pos;
  // Fast path: no escapes.
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 0x22) {
      pos++;
      return text.slice(chunkStart, pos - 1);
    }
    if (c === 0x5c || c < 0x20 || Number.isNaN(c)) break;
    pos++;
  }
  let out = text.slice(chunkStart, pos);
  let chunk = pos;
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 0x22) {
      out += text.slice(chunk, pos);
      pos++;
      return out;
    }
    if (Number.isNaN(c)) fail('unterminated string', start);
    if (c < 0x20) fail(`invalid control character U+${hex4(c).toUpperCase()} in a string (write it as an escape)`);
    if (c !== 0x5c) {
      pos++;
      continue;
    }
    out += text.slice(chunk, pos);
    const escapeAt = pos;
    const kind = text.charCodeAt(pos + 1);
    pos += 2;
    switch (kind) {
      case 0x22:
        out += '"';
        break;
      case 0x5c:
        out += '\\';
        break;
      case 0x2f:
        out += '/';
        break;
      case 0x62:
        out += '\b';
        break;
      case 0x66:
        out += '\f';
        break;
      case 0x6e:
        out += '\n';
        break;
      case 0x72:
        out += '\r';
        break;
      case 0x74:
        out += '\t';
        break;
      case 0x75: {
        let unit = 0;
        for (let i = 0; i < 4; i++) {
          const h = hexValue(text.charCodeAt(pos + i));
          if (h < 0) fail('invalid \\uXXXX escape (needs four hex digits)', escapeAt);
          unit = unit * 16 + h;
        }
        pos += 4;
        out += String.fromCharCode(unit);
        break;
      }
      default:
        if (Number.isNaN(kind)) fail('unterminated string', start);
        fail(`invalid escape '\\${String.fromCodePoint(text.codePointAt(escapeAt + 1) ?? 0)}'`, escapeAt);
    }
    chunk = pos;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function enter(): void {
  if (++depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
}

function parseObject(): PyObject {
  enter();
  pos++; // {
  const map: PyObject = new Map();
  skipWhitespace();
  if (text.charCodeAt(pos) === 0x7d) {
    pos++;
    depth--;
    return map;
  }
  for (;;) {
    if (text.charCodeAt(pos) !== 0x22) {
      fail(map.size === 0 ? "expected a property name in double quotes or '}'" : 'expected a property name in double quotes');
    }
    const key = parseString();
    skipWhitespace();
    if (text.charCodeAt(pos) !== 0x3a) fail("expected ':' after the property name");
    pos++;
    skipWhitespace();
    map.set(key, parseValue());
    skipWhitespace();
    const c = text.charCodeAt(pos);
    if (c === 0x2c) {
      pos++;
      skipWhitespace();
      continue;
    }
    if (c === 0x7d) {
      pos++;
      depth--;
      return map;
    }
    fail("expected ',' or '}'");
  }
}

function parseArray(): PyJson[] {
  enter();
  pos++; // [
  const list: PyJson[] = [];
  skipWhitespace();
  if (text.charCodeAt(pos) === 0x5d) {
    pos++;
    depth--;
    return list;
  }
  for (;;) {
    list.push(parseValue());
    skipWhitespace();
    const c = text.charCodeAt(pos);
    if (c === 0x2c) {
      pos++;
      skipWhitespace();
      continue;
    }
    if (c === 0x5d) {
      pos++;
      depth--;
      return list;
    }
    fail("expected ',' or ']'");
  }
}
