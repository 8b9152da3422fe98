import { expect, test } from 'vitest';
import * as validate from '../../src/validate/index.js';

test('exports exactly the validation API', () => {
  expect(Object.keys(validate).sort()).toEqual([
    'clearValidatorCache',
    'formatDottedPath',
    'formatManifestPath',
    'formatValidationText',
    'sortIssues',
    'validateManifest',
    'validationErrorDocument',
  ]);
});
