import { expect, it } from 'vitest';
import * as json from '../../src/json/index.js';

it('exports exactly the json API', () => {
  expect(Object.keys(json).sort()).toEqual(
    [
      'compareCodePoints',
      'dumpsPy',
      'formatJsonPath',
      'fromPlain',
      'hashPy',
      'lineAndColumn',
      'parsePyJson',
      'pyFloatRepr',
      'pyListRepr',
      'pyQuote',
      'pyStrRepr',
      'pyTruthy',
      'sha256Hex',
      'toPlain',
    ].sort(),
  );
});
