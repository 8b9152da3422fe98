import { describe, expect, it } from 'vitest';
import { cpArguments } from '../src/cp-arguments.js';

describe('cpArguments', () => {
  it('is upstream\'s command line', () => {
    expect(cpArguments('/in/a', '/tree/b')).toEqual(['-a', '--reflink=auto', '/in/a', '/tree/b']);
  });

  it('adds --remove-destination before the paths when asked', () => {
    expect(cpArguments('/in/a', '/tree/b', true)).toEqual(['-a', '--reflink=auto', '--remove-destination', '/in/a', '/tree/b']);
  });
});
