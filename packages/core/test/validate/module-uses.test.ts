import { expect, test } from 'vitest';
import { moduleUses } from '../../src/validate/module-uses.js';

const summary = (doc: unknown, version: '1' | '2') =>
  moduleUses(doc, version).map((u) => [u.kind, u.name, u.path.join('/'), u.parts.map((p) => p.path.join('/'))]);

test('v1: stages and assembler, build pipelines recursively (but not an empty one), sources with their items key', () => {
  const doc = {
    pipeline: {
      build: { pipeline: { stages: [{ name: 'org.osbuild.rpm', options: {} }], build: { pipeline: {}, runner: 'x' } }, runner: 'x' },
      stages: [{ name: 'org.osbuild.noop' }, { options: {} }],
      assembler: { name: 'org.osbuild.tar', options: {} },
    },
    sources: { 'org.osbuild.files': { urls: {} }, 'org.osbuild.ostree': { commits: {}, options: {} } },
  };
  expect(summary(doc, '1')).toEqual([
    ['stage', 'org.osbuild.rpm', 'pipeline/build/pipeline/stages/0', ['pipeline/build/pipeline/stages/0/options']],
    ['stage', 'org.osbuild.noop', 'pipeline/stages/0', []],
    ['assembler', 'org.osbuild.tar', 'pipeline/assembler', ['pipeline/assembler/options']],
    ['source', 'org.osbuild.curl', 'sources/org.osbuild.curl', ['sources/org.osbuild.curl/urls']],
    ['source', 'org.osbuild.ostree', 'sources/org.osbuild.ostree', ['sources/org.osbuild.ostree/commits', 'sources/org.osbuild.ostree/options']],
  ]);
});

test('v1: an empty assembler is not looked up', () => {
  expect(summary({ pipeline: { assembler: {} } }, '1')).toEqual([]);
});

test('v2: sources first, then each stage and its devices, inputs and mounts (mounts by name)', () => {
  const doc = {
    version: '2',
    sources: { 'org.osbuild.curl': { items: {} } },
    pipelines: [
      {
        name: 'a',
        stages: [
          {
            type: 'org.osbuild.copy',
            options: {},
            inputs: { tree: { type: 'org.osbuild.tree' }, untyped: {} },
            devices: { disk: { type: 'org.osbuild.loopback', options: {} }, empty: { type: '' } },
            mounts: [{ name: 'root', type: 'org.osbuild.ext4' }, { type: 'nameless' }],
          },
        ],
      },
    ],
  };
  expect(summary(doc, '2')).toEqual([
    ['source', 'org.osbuild.curl', 'sources/org.osbuild.curl', ['sources/org.osbuild.curl/items']],
    [
      'stage',
      'org.osbuild.copy',
      'pipelines/0/stages/0',
      ['pipelines/0/stages/0/options', 'pipelines/0/stages/0/inputs', 'pipelines/0/stages/0/devices', 'pipelines/0/stages/0/mounts'],
    ],
    ['device', 'org.osbuild.loopback', 'pipelines/0/stages/0/devices/disk', ['pipelines/0/stages/0/devices/disk/options']],
    ['input', 'org.osbuild.tree', 'pipelines/0/stages/0/inputs/tree', []],
    ['mount', 'org.osbuild.ext4', 'pipelines/0/stages/0/mounts/root', []],
  ]);
});
