import { describe, expect, it } from 'vitest';
import { formatJsonPath } from '../../src/json/path.js';

describe('formatJsonPath', () => {
  it.each([
    [['pipelines', 2, 'build'], 'pipelines[2].build'],
    [['pipelines', 0, 'stages', 1, 'options', 'packages'], 'pipelines[0].stages[1].options.packages'],
    [['sources', 'org.osbuild.curl', 'items'], 'sources["org.osbuild.curl"].items'],
    [['pipelines', 0, 'stages', 0, 'inputs', 'root-tree'], 'pipelines[0].stages[0].inputs.root-tree'],
    [['a', 'key with space'], 'a["key with space"]'],
    [[], '(top level)'],
  ] as const)('%j → %s', (path, expected) => {
    expect(formatJsonPath(path)).toBe(expected);
  });
});
