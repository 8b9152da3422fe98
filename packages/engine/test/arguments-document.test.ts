import { describe, expect, it } from 'vitest';
import type { PyJson } from '@osbuild-ts/core';
import { argumentsDocument } from '../src/arguments-document.js';

describe('argumentsDocument', () => {
  it('devices and mounts as spec 8.2 shows them: service paths re-rooted like os.path.join, key order kept', () => {
    const text = argumentsDocument({
      options: new Map([['x', 1n]]),
      inputs: new Map([['tree', null]]),
      devices: new Map([['disk', new Map<string, PyJson>([['path', 'loop3'], ['node', new Map<string, PyJson>([['major', 7n], ['minor', 3n]])]])]]),
      mounts: new Map([
        ['root', new Map([['path', '.']])],
        ['efi', new Map([['path', 'boot/efi']])],
        ['none', new Map()],
      ]),
      stageId: 'abc',
      sourceEpoch: 0n,
    });
    expect(text).toBe(
      '{"tree": "/run/osbuild/tree", ' +
        '"paths": {"devices": "/dev", "inputs": "/run/osbuild/inputs", "mounts": "/run/osbuild/mounts"}, ' +
        '"devices": {"disk": {"path": "/dev/loop3", "node": {"major": 7, "minor": 3}}}, ' +
        '"inputs": {"tree": {"path": "/run/osbuild/inputs/tree"}}, ' +
        '"mounts": {"root": {"path": "/run/osbuild/mounts/."}, "efi": {"path": "/run/osbuild/mounts/boot/efi"}, "none": {}}, ' +
        '"options": {"x": 1}, "meta": {"id": "abc", "source-epoch": 0}}',
    );
  });

  it('without devices and mounts both are empty objects', () => {
    const doc = JSON.parse(argumentsDocument({ options: new Map(), inputs: new Map(), stageId: 'x' }));
    expect(doc.devices).toEqual({});
    expect(doc.mounts).toEqual({});
  });
});
