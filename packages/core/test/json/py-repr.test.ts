import { describe, expect, it } from 'vitest';
import { pyListRepr, pyStrRepr } from '../../src/json/py-repr.js';
import { cases } from './fixtures.js';

describe('Python repr', () => {
  it.each(cases.repr.filter((c): c is [string, string] => c[0] !== null))('repr(%j) is %s', (text, expected) => {
    expect(pyStrRepr(text)).toBe(expected);
  });

  it('formats lists of strings', () => {
    expect(pyListRepr(['build', "it's", 'say "hi"'])).toBe(cases.repr.at(-1)?.[1]);
    expect(pyListRepr([])).toBe('[]');
  });
});
