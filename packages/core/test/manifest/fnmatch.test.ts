import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fnmatch } from '../../src/manifest/fnmatch.js';

const fixture: { names: string[]; cases: Array<[string, number[]]> } = JSON.parse(
  readFileSync(new URL('./fixtures/fnmatch-cases.json', import.meta.url), 'utf8'),
);

describe('fnmatch (Python fnmatchcase)', () => {
  it.each([
    ['build', 'build', true],
    ['Build', 'build', false],
    ['org.osbuild.rpm', 'org.osbuild.*', true],
    ['org.osbuild.rpm', '*.rpm', true],
    ['tree', 't??e', true],
    ['tree', 't?e', false],
    ['tree', '[st]ree', true],
    ['tree', '[!t]ree', false],
    [']', '[]]', true],
    ['a', '[!]]', true],
    ['[', '[', true],
    ['😀', '?', true],
    ['a\nb', 'a*b', true],
    ['x', '[z-a]', false],
    ['-', '[a-c-e]', true],
  ])('%j against %j is %s', (name, pattern, expected) => {
    expect(fnmatch(name, pattern)).toBe(expected);
  });

  it(`agrees with CPython on ${fixture.cases.length} generated patterns × ${fixture.names.length} names`, () => {
    const wrong: Array<{ pattern: string; expected: number[]; got: number[] }> = [];
    for (const [pattern, expected] of fixture.cases) {
      const got = fixture.names.flatMap((name, index) => (fnmatch(name, pattern) ? [index] : []));
      if (got.join() !== expected.join()) wrong.push({ pattern, expected, got });
    }
    expect(wrong).toEqual([]);
  });
});
