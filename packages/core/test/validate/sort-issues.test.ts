import { expect, test } from 'vitest';
import { sortIssues } from '../../src/validate/index.js';

test('orders by the dotted path string, as osbuild does (not by structure)', () => {
  const issues = sortIssues([
    { path: ['sources'], message: 'b' },
    { path: ['pipelines', 10], message: 'x' },
    { path: ['pipelines', 9], message: 'x' },
    { path: ['pipelines', 1, 'stages'], message: 'x' },
    { path: [], message: 'root' },
    { path: ['metadata'], message: 'x' },
  ]);
  // By string: ".pipelines[10]" < ".pipelines[1].stages" < ".pipelines[9]", as in osbuild.
  expect(issues.map((i) => i.path)).toEqual([[], ['metadata'], ['pipelines', 10], ['pipelines', 1, 'stages'], ['pipelines', 9], ['sources']]);
});

test('compares code points, so astral keys sort after U+FFFF', () => {
  const issues = sortIssues([
    { path: ['😀'], message: 'x' },
    { path: ['\uffff'], message: 'x' },
    { path: ['\ue000'], message: 'x' },
  ]);
  expect(issues.map((i) => i.path[0])).toEqual(['\ue000', '\uffff', '😀']);
});

test('drops repeats of one message at one path; ties are ordered by message', () => {
  const issues = sortIssues([
    { path: ['a'], message: 'z' },
    { path: ['a'], message: 'y', plugin: 'p@1' },
    { path: ['a'], message: 'z', plugin: 'q@1' },
  ]);
  expect(issues).toEqual([
    { path: ['a'], message: 'y', plugin: 'p@1' },
    { path: ['a'], message: 'z' },
  ]);
});
