import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/json/hash.js';
import { deviceId, inputId, mountId, stageId } from '../../src/manifest/ids.js';
import { loadText } from './inspect-helper.js';

const NOOP = 'beda46704765a47e6d4f44aff22168ae36866c9c0e6e11552b775b77776b2969';

describe('object ids: the worked examples of spec 3', () => {
  it('a lone noop stage hashes "org.osbuild.noop"nullnull{}', () => {
    const manifest = loadText('{"version": "2", "pipelines": [{"name": "os", "stages": [{"type": "org.osbuild.noop"}]}]}');
    expect(manifest.pipelines[0]?.id).toBe(NOOP);
    expect(stageId({ type: 'org.osbuild.noop', build: null, base: null, options: new Map(), inputs: [], mountIds: [] })).toBe(NOOP);
  });

  it('source-epoch 0 is hashed', () => {
    const manifest = loadText('{"version": "2", "pipelines": [{"name": "os", "source-epoch": 0, "stages": [{"type": "org.osbuild.noop"}]}]}');
    const id = manifest.pipelines[0]?.id;
    expect(id).toBe(sha256Hex('"org.osbuild.noop"nullnull{}0'));
    expect(id).toMatch(/^bccce523.*52c0$/);
  });

  it('the next stage has the previous one as base', () => {
    const manifest = loadText(
      '{"version": "2", "pipelines": [{"name": "os", "stages": [{"type": "org.osbuild.noop"}, {"type":"org.osbuild.hostname","options":{"hostname":"x"}}]}]}',
    );
    expect(manifest.pipelines[0]?.stages[1]?.id).toBe(sha256Hex(`"org.osbuild.hostname"null"${NOOP}"{"hostname": "x"}`));
    expect(manifest.pipelines[0]?.id).toBe('55d72a5b7e2cf3ad3daa2199e805b9285cec69363fad13931a4248b36e8bdce0');
  });

  it('a v1 assembler-only manifest references the stage-less tree as "null"', () => {
    const manifest = loadText('{"pipeline":{"assembler":{"name":"org.osbuild.noop"}}}');
    const [tree, assembler] = manifest.pipelines;
    expect(tree?.id).toBeNull();
    const input = assembler?.stages[0]?.inputs[0];
    expect(input?.references).toEqual(new Map([[null, new Map()]]));
    const expectedInput = sha256Hex('"org.osbuild.tree""org.osbuild.pipeline"{"null": {}}{}');
    expect(input?.id).toBe(expectedInput);
    expect(assembler?.id).toBe(sha256Hex(`"org.osbuild.noop"nullnull{}{"tree": "${expectedInput}"}`));
    expect(assembler?.id).toBe('ed5a30ac17365bf6eb3e5211d503527a8c1995789365005e29ce8beed158c126');
  });
});

describe('what ids leave out', () => {
  const opts = new Map([['a', 1n]]);

  it('device: parent id only when there is a parent', () => {
    expect(deviceId('t', null, opts)).toBe(sha256Hex('"t"{"a": 1}'));
    expect(deviceId('t', 'p', opts)).toBe(sha256Hex('"t""p"{"a": 1}'));
  });

  it('mount: no device, falsy partition and empty target are not hashed', () => {
    expect(mountId('m', null, 0n, '', opts)).toBe(sha256Hex('"m"{"a": 1}'));
    expect(mountId('m', null, 0, null, opts)).toBe(sha256Hex('"m"{"a": 1}'));
    expect(mountId('m', 'd', 2n, '/', opts)).toBe(sha256Hex('"m""d"2"/"{"a": 1}'));
    expect(mountId('m', 'd', 1.0, '/', opts)).toBe(sha256Hex('"m""d"1.0"/"{"a": 1}'));
  });

  it('input: names are not hashed, references are sorted', () => {
    const refs = new Map([
      ['b', new Map()],
      ['a', new Map([['x', true]])],
    ]);
    expect(inputId('t', 'o', refs, new Map())).toBe(sha256Hex('"t""o"{"a": {"x": true}, "b": {}}{}'));
  });

  it('stage: inputs as a sorted name → id map, mounts as a list in order', () => {
    const id = stageId({
      type: 's',
      build: 'B',
      base: null,
      options: new Map(),
      sourceEpoch: 5n,
      inputs: [
        { name: 'z', id: '1' },
        { name: 'a', id: '2' },
      ],
      mountIds: ['m2', 'm1'],
    });
    expect(id).toBe(sha256Hex('"s""B"null{}5{"a": "2", "z": "1"}["m2", "m1"]'));
  });

  it('stages that differ only in devices share an id when they have no mounts', () => {
    const manifest = loadText(`{"version": "2", "pipelines": [
      {"name": "a", "stages": [{"type": "org.osbuild.noop", "devices": {"d": {"type": "org.osbuild.loopback", "options": {"filename": "a"}}}}]},
      {"name": "b", "stages": [{"type": "org.osbuild.noop", "devices": {"d": {"type": "org.osbuild.loopback", "options": {"filename": "b"}}}}]}]}`);
    expect(manifest.pipelines[0]?.id).toBe(NOOP);
    expect(manifest.pipelines[1]?.id).toBe(NOOP);
  });
});
