import { describe, expect, it } from 'vitest';
import { dumpsPy, pyQuote } from '../../src/json/dumps.js';
import { parsePyJson } from '../../src/json/parse.js';
import type { PyJson } from '../../src/json/types.js';
import { cases } from './fixtures.js';

const roundTrip = (text: string, sortKeys = false) => dumpsPy(parsePyJson(text), { sortKeys });

describe('dumpsPy: the pitfalls of spec 2.3', () => {
  it.each([
    ['1.0', '1.0'],
    ['1e2', '100.0'],
    ['0.00001', '1e-05'],
    ['1e16', '1e+16'],
    ['1e15', '1000000000000000.0'],
    ['18446744073709551617', '18446744073709551617'],
    ['-0', '0'],
    ['-0.0', '-0.0'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['-Infinity', '-Infinity'],
    ['1e400', 'Infinity'],
    ['"\\u007f"', '"\\u007f"'],
    ['"\\u00E9"', '"\\u00e9"'],
    ['"a\\/b"', '"a/b"'],
    ['"😀"', '"\\ud83d\\ude00"'],
    ['"é"', '"\\u00e9"'],
    ['"\u2028"', '"\\u2028"'],
    ['"/"', '"/"'],
    ['"\\u0000\\u001f \\t\\n\\r\\b\\f\\"\\\\"', '"\\u0000\\u001f \\t\\n\\r\\b\\f\\"\\\\"'],
  ])('%s → %s', (input, expected) => {
    expect(roundTrip(input)).toBe(expected);
  });

  it('keeps integer-like keys in place', () => {
    expect(roundTrip('{"b": 1, "10": 2, "a": 3, "2": 4, "-1": 5, "01": 6}')).toBe(
      '{"b": 1, "10": 2, "a": 3, "2": 4, "-1": 5, "01": 6}',
    );
  });

  it('sorts keys by code point, recursively: astral after \\uffff, "10" < "9" < "A" < "a"', () => {
    expect(roundTrip('{"😀": 1, "\\uffff": 2, "\\ue000": 3, "a": 4, "A": 5, "9": 6, "10": 7, "": 8}', true)).toBe(
      '{"": 8, "10": 7, "9": 6, "A": 5, "a": 4, "\\ue000": 3, "\\uffff": 2, "\\ud83d\\ude00": 1}',
    );
    expect(roundTrip('[{"b": {"d": 1, "c": 2}, "a": null}]', true)).toBe('[{"a": null, "b": {"c": 2, "d": 1}}]');
  });

  it('uses ", " and ": " separators on one line', () => {
    expect(roundTrip('{"a":[1,2,{"b":true}],"c":null}')).toBe('{"a": [1, 2, {"b": true}], "c": null}');
  });

  it('indents like Python, with "," line ends and bare empty containers', () => {
    const value = parsePyJson('{"a": [], "b": {}, "c": [1, {"d": "x"}]}');
    expect(dumpsPy(value, { indent: 2 })).toBe(
      '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": "x"\n    }\n  ]\n}',
    );
    expect(dumpsPy(new Map(), { indent: 2 })).toBe('{}');
    expect(dumpsPy([1n], { indent: 0 })).toBe('[\n1\n]');
  });

  it('rejects values that are not PyJson', () => {
    expect(() => dumpsPy({ a: 1 } as unknown as PyJson)).toThrow(TypeError);
    expect(() => dumpsPy([undefined] as unknown as PyJson)).toThrow(/undefined is not JSON serializable/);
  });

  it('quotes strings with lowercase \\u escapes', () => {
    expect(pyQuote('\u00C9\uABCD\ud800')).toBe('"\\u00c9\\uabcd\\ud800"');
  });
});

describe('dumpsPy against json.dumps (generated cases)', () => {
  it(`matches ${cases.dumps.length} random documents, sorted and not, indented and not`, () => {
    for (const { input, sortKeys, indent, expected } of cases.dumps) {
      const got = dumpsPy(parsePyJson(input), { sortKeys, ...(indent === null ? {} : { indent }) });
      if (got !== expected) expect({ input, got }).toEqual({ input, got: expected });
    }
  });
});
