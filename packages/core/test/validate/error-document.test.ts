import { expect, test } from 'vitest';
import { validationErrorDocument } from '../../src/validate/index.js';

test('the shape osbuild prints, with int path parts as ints and keys in osbuild\'s order', () => {
  const doc = validationErrorDocument([
    { path: ['pipelines', 0, 'stages', 1, 'options'], message: 'missing required property "hostname"', plugin: 'x@1' },
    { path: [], message: 'unexpected property "extra" (allowed: pipeline, sources)' },
  ]);
  expect([...doc.keys()]).toEqual(['type', 'title', 'success', 'errors']);
  expect(doc.get('type')).toBe('https://osbuild.org/validation-error');
  expect(doc.get('title')).toBe('JSON Schema validation failed');
  expect(doc.get('success')).toBe(false);
  expect(doc.get('errors')).toEqual([
    new Map<string, unknown>([
      ['message', 'unexpected property "extra" (allowed: pipeline, sources)'],
      ['path', []],
    ]),
    new Map<string, unknown>([
      ['message', 'missing required property "hostname"'],
      ['path', ['pipelines', 0n, 'stages', 1n, 'options']],
    ]),
  ]);
});
