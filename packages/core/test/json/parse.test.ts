import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '../../src/errors.js';
import { dumpsPy } from '../../src/json/dumps.js';
import { parsePyJson } from '../../src/json/parse.js';
import type { PyJson } from '../../src/json/types.js';
import { cases } from './fixtures.js';

function parseError(text: string, source?: string) {
  try {
    parsePyJson(text, source);
  } catch (error) {
    if (isOsbuildError(error)) return error;
    throw error;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parsePyJson', () => {
  it('keeps object member order, integer-like keys included', () => {
    const value = parsePyJson('{"b": 1, "10": 2, "a": 3, "2": 4}') as Map<string, PyJson>;
    expect([...value.keys()]).toEqual(['b', '10', 'a', '2']);
  });

  it('gives a repeated key its first position and its last value', () => {
    const value = parsePyJson('{"a": 1, "b": 2, "a": 3}') as Map<string, PyJson>;
    expect([...value]).toEqual([
      ['a', 3n],
      ['b', 2n],
    ]);
  });

  it('reads ints as bigint and floats as number', () => {
    expect(parsePyJson('[0, -0, 42, 18446744073709551617, 1.0, 1e2, 1E2, -0.0, 2.5]')).toEqual([
      0n,
      0n,
      42n,
      18446744073709551617n,
      1,
      100,
      100,
      -0,
      2.5,
    ]);
    expect(Object.is((parsePyJson('[-0.0]') as number[])[0], -0)).toBe(true);
    expect(parsePyJson('-123456789012345678901234567890')).toBe(-123456789012345678901234567890n);
  });

  it('turns out-of-range floats into infinities and accepts NaN/Infinity literals', () => {
    expect(parsePyJson('[1e400, -1e400, 1e-400]')).toEqual([Infinity, -Infinity, 0]);
    const [nan, inf, ninf] = parsePyJson('[NaN, Infinity, -Infinity]') as number[];
    expect(Number.isNaN(nan)).toBe(true);
    expect(inf).toBe(Infinity);
    expect(ninf).toBe(-Infinity);
  });

  it('decodes escapes, keeping lone surrogates as code units', () => {
    expect(parsePyJson('"\\u00E9\\/\\"\\\\\\b\\f\\n\\r\\t"')).toBe('é/"\\\b\f\n\r\t');
    expect(parsePyJson('"\\ud83d\\ude00"')).toBe('😀');
    expect(parsePyJson('"a\\ud800b"')).toBe('a\ud800b');
    expect(parsePyJson('"\\udc00"')).toBe('\udc00');
    expect(parsePyJson('"raw 😀 é"')).toBe('raw 😀 é');
  });

  it('allows whitespace around the value', () => {
    expect(parsePyJson(' \n\t\r{ "a" : [ 1 , 2 ] }\r\n ')).toEqual(new Map([['a', [1n, 2n]]]));
  });

  it.each(cases.parse)('agrees with json.loads on $input', ({ input, ok, expected }) => {
    if (ok) expect(dumpsPy(parsePyJson(input))).toBe(expected);
    else expect(parseError(input).code).toBe('E_MANIFEST_JSON');
  });

  it('names the source, line, column and what was expected', () => {
    const error = parseError('{\n  "a": 1\n    "b": 2\n}', 'manifest.json');
    expect(error.message).toBe("manifest.json is not valid JSON: expected ',' or '}' at line 3, column 5");
    expect(error.details).toMatchObject({ line: 3, column: 5 });
  });

  it.each([
    ['', 'expected a value but the input ended at line 1, column 1'],
    ['[1,]', 'expected a value at line 1, column 4'],
    ['{"a" 1}', "expected ':' after the property name at line 1, column 6"],
    ['{a: 1}', "expected a property name in double quotes or '}' at line 1, column 2"],
    ['{"a": 1,}', 'expected a property name in double quotes at line 1, column 9'],
    ['[1 2]', "expected ',' or ']' at line 1, column 4"],
    ['{} x', 'unexpected data after the JSON value at line 1, column 4'],
    ['"abc', 'unterminated string at line 1, column 1'],
    ['"a\nb"', 'invalid control character U+000A in a string (write it as an escape) at line 1, column 3'],
    ['"\\x"', "invalid escape '\\x' at line 1, column 2"],
    ['"\\u12g4"', 'invalid \\uXXXX escape (needs four hex digits) at line 1, column 2'],
    ['\ufeff{}', 'unexpected byte order mark (U+FEFF); save the file as UTF-8 without BOM at line 1, column 1'],
    ['["😀", x]', 'expected a value at line 1, column 7'],
    ['01', 'unexpected data after the JSON value at line 1, column 2'],
    ['-x', 'expected a value at line 1, column 1'],
  ])('reports %j as: %s', (text, message) => {
    expect(parseError(text).message).toBe(`input is not valid JSON: ${message}`);
  });

  it('refuses nesting deeper than Python could parse instead of overflowing the stack', () => {
    expect(parseError('['.repeat(100_000)).message).toMatch(/nesting deeper than 1000 levels/);
    expect(parsePyJson(`${'['.repeat(1000)}${']'.repeat(1000)}`)).toBeInstanceOf(Array);
  });
});
