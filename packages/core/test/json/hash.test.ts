import { describe, expect, it } from 'vitest';
import { hashPy, sha256Hex } from '../../src/json/hash.js';
import { parsePyJson } from '../../src/json/parse.js';

describe('hashing (spec 3)', () => {
  it('sha256Hex is lowercase hex', () => {
    expect(sha256Hex('"org.osbuild.noop"nullnull{}')).toBe('beda46704765a47e6d4f44aff22168ae36866c9c0e6e11552b775b77776b2969');
  });

  it('hashPy concatenates sorted-key py-json texts without separators', () => {
    expect(hashPy('org.osbuild.noop', null, null, new Map())).toBe(
      'beda46704765a47e6d4f44aff22168ae36866c9c0e6e11552b775b77776b2969',
    );
    expect(hashPy(parsePyJson('{"b": 1, "a": 1.0}'))).toBe(sha256Hex('{"a": 1.0, "b": 1}'));
  });
});
