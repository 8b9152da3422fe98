import { expect, test } from 'vitest';
import { formatDottedPath, formatManifestPath } from '../../src/validate/index.js';

test.each<[Array<string | number>, string]>([
  [[], '.'],
  [['pipelines', 1, 'stages', 3, 'options', 'packages'], '.pipelines[1].stages[3].options.packages'],
  [['sources', 'org.osbuild.curl', 'items', 'sha256:00'], '.sources.org.osbuild.curl.items.sha256:00'],
  [['options', 'enabled services'], ".options.'enabled services'"],
  [['options', "it's"], ".options.it's"],
  [[0, 1], '[0][1]'],
  [['options', ''], '.options.'],
])('formatDottedPath(%j) = %s, as osbuild prints it', (path, expected) => {
  expect(formatDottedPath(path)).toBe(expected);
});

test.each<[Array<string | number>, string]>([
  [[], '(top level)'],
  [['pipelines', 1, 'stages', 3, 'options', 'packages'], 'pipelines[1].stages[3].options.packages'],
  [['pipelines', 0, 'stages', 2, 'inputs', 'root-tree', 'options'], 'pipelines[0].stages[2].inputs.root-tree.options'],
  [['sources', 'org.osbuild.curl', 'items', 'sha256:00'], 'sources["org.osbuild.curl"].items["sha256:00"]'],
  [['options', 'enabled services'], 'options["enabled services"]'],
  [['pipeline', 'build', 'pipeline', 'source-epoch'], 'pipeline.build.pipeline.source-epoch'],
])('formatManifestPath(%j) = %s', (path, expected) => {
  expect(formatManifestPath(path)).toBe(expected);
});
