import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '../../src/errors.js';
import { parsePyJson } from '../../src/json/parse.js';
import { loadManifest } from '../../src/manifest/load.js';

function loadError(text: string) {
  try {
    loadManifest(parsePyJson(text), { hostRunner: 'org.osbuild.debian12' });
  } catch (error) {
    if (isOsbuildError(error)) return error;
    throw error; // a TypeError here is a bug
  }
  throw new Error('loaded without error');
}

const v2 = (pipelines: string, extra = '') => `{"version": "2"${extra}, "pipelines": [${pipelines}]}`;
const noop = (more = '') => `{"type": "org.osbuild.noop"${more}}`;

describe('v2 load errors name the JSON path (E_MANIFEST_INVALID, exit 2)', () => {
  it.each([
    [
      'a forward build reference',
      v2(`{"name": "build", "stages": [${noop()}]}, {"name": "os", "build": "name:tree"}, {"name": "tree", "build": "name:os"}`),
      ['pipelines', 1, 'build'],
      'pipelines[1].build: "name:tree" refers to pipeline "tree", which is not defined before it (defined pipelines: build)',
    ],
    [
      'a build reference to itself',
      v2(`{"name": "os", "build": "name:os"}`),
      ['pipelines', 0, 'build'],
      'pipelines[0].build: "name:os" refers to pipeline "os", which is not defined before it (no pipeline is defined before it)',
    ],
    [
      'a raw build id that is no pipeline id',
      v2(`{"name": "os", "build": "abc"}`),
      ['pipelines', 0, 'build'],
      'pipelines[0].build: "abc" is not the id of any pipeline (use "name:<pipeline>" to refer to one by name)',
    ],
    [
      'a duplicate pipeline name',
      v2(`{"name": "os"}, {"name": "x"}, {"name": "os"}`),
      ['pipelines', 2, 'name'],
      'pipelines[2].name: pipeline name "os" is already used by pipelines[0]',
    ],
    [
      'a pipeline without name',
      v2(`{"stages": []}`),
      ['pipelines', 0, 'name'],
      'pipelines[0].name: is required (a string)',
    ],
    [
      'an unknown runner',
      v2(`{"name": "os", "runner": "org.osbuild.fedora29"}`),
      ['pipelines', 0, 'runner'],
      'pipelines[0].runner: no runner for "org.osbuild.fedora29": the org.osbuild.fedora runners (org.osbuild.fedora30, org.osbuild.fedora38) are all newer',
    ],
    [
      'an unknown device parent',
      v2(`{"name": "os", "stages": [${noop(', "devices": {"luks": {"type": "org.osbuild.luks2", "parent": "disk"}}')}]}`),
      ['pipelines', 0, 'stages', 0, 'devices', 'luks', 'parent'],
      'pipelines[0].stages[0].devices.luks.parent: "disk" is not a device of this stage (devices: "luks")',
    ],
    [
      'a device cycle',
      v2(
        `{"name": "os", "stages": [${noop(', "devices": {"ok": {"type": "t"}, "a": {"type": "t", "parent": "b"}, "b": {"type": "t", "parent": "a"}}')}]}`,
      ),
      ['pipelines', 0, 'stages', 0, 'devices'],
      'pipelines[0].stages[0].devices: the parent references of "a", "b" form a cycle',
    ],
    [
      'a source reference that is no source item',
      v2(
        `{"name": "os", "stages": [${noop(', "inputs": {"pkgs": {"type": "org.osbuild.files", "origin": "org.osbuild.source", "references": ["sha256:aa", "sha256:bb"]}}')}]}`,
        ', "sources": {"org.osbuild.curl": {"items": {"sha256:aa": "u"}}}',
      ),
      ['pipelines', 0, 'stages', 0, 'inputs', 'pkgs', 'references'],
      'pipelines[0].stages[0].inputs.pkgs.references: "sha256:bb" is not an item of any source',
    ],
    [
      'source references without sources',
      v2(`{"name": "os", "stages": [${noop(', "inputs": {"p": {"type": "t", "origin": "org.osbuild.source", "references": {"x": {}, "y": {}}}}')}]}`),
      ['pipelines', 0, 'stages', 0, 'inputs', 'p', 'references'],
      'pipelines[0].stages[0].inputs.p.references: "x", "y" are not items of any source (the manifest has no sources)',
    ],
    [
      'an unknown pipeline reference',
      v2(`{"name": "os", "stages": [${noop(', "inputs": {"t": {"type": "org.osbuild.tree", "origin": "org.osbuild.pipeline", "references": ["name:nope"]}}')}]}`),
      ['pipelines', 0, 'stages', 0, 'inputs', 't', 'references'],
      'pipelines[0].stages[0].inputs.t.references: "name:nope" refers to pipeline "nope", which is not defined before it (defined pipelines: os)',
    ],
    [
      'a stage-less pipeline referenced together with another',
      v2(
        `{"name": "empty"}, {"name": "full", "stages": [${noop()}]}, {"name": "os", "stages": [${noop(', "inputs": {"t": {"type": "t", "origin": "org.osbuild.pipeline", "references": ["name:full", "name:empty"]}}')}]}`,
      ),
      ['pipelines', 2, 'stages', 0, 'inputs', 't', 'references'],
      'pipelines[2].stages[0].inputs.t.references: pipeline "empty" has no stages, so its id is null, which osbuild cannot hash together with other references; reference it in an input of its own',
    ],
    [
      'an unknown origin',
      v2(`{"name": "os", "stages": [${noop(', "inputs": {"t": {"type": "t", "origin": "org.osbuild.elsewhere"}}')}]}`),
      ['pipelines', 0, 'stages', 0, 'inputs', 't', 'origin'],
      'pipelines[0].stages[0].inputs.t.origin: expected "org.osbuild.source" or "org.osbuild.pipeline", got "org.osbuild.elsewhere"',
    ],
    [
      'a reference of the wrong shape',
      v2(`{"name": "os", "stages": [${noop(', "inputs": {"t": {"type": "t", "origin": "org.osbuild.pipeline", "references": [{"options": {}}]}}')}]}`),
      ['pipelines', 0, 'stages', 0, 'inputs', 't', 'references', 0, 'id'],
      'pipelines[0].stages[0].inputs.t.references[0].id: expected a string, got nothing',
    ],
    [
      'a mount source that is not a device of the stage',
      v2(`{"name": "os", "stages": [${noop(', "mounts": [{"name": "root", "type": "org.osbuild.ext4", "source": "disk", "target": "/"}]')}]}`),
      ['pipelines', 0, 'stages', 0, 'mounts', 0, 'source'],
      'pipelines[0].stages[0].mounts[0].source: "disk" is not a device of this stage (the stage has no devices)',
    ],
    [
      'a duplicate mount name',
      v2(`{"name": "os", "stages": [${noop(', "mounts": [{"name": "root", "type": "m"}, {"name": "root", "type": "m"}]')}]}`),
      ['pipelines', 0, 'stages', 0, 'mounts', 1, 'name'],
      'pipelines[0].stages[0].mounts[1].name: mount name "root" is used twice in this stage',
    ],
    [
      'source items that are a list',
      v2('', ', "sources": {"org.osbuild.curl": {"items": ["sha256:aa"]}}'),
      ['sources', 'org.osbuild.curl', 'items'],
      'sources["org.osbuild.curl"].items: expected an object, got an array',
    ],
    [
      'options that are not an object',
      v2(`{"name": "os", "stages": [${noop(', "options": null')}]}`),
      ['pipelines', 0, 'stages', 0, 'options'],
      'pipelines[0].stages[0].options: expected an object, got null',
    ],
    [
      'a float source-epoch',
      v2(`{"name": "os", "source-epoch": 1.5}`),
      ['pipelines', 0, 'source-epoch'],
      'pipelines[0].source-epoch: expected an integer, got a number',
    ],
    [
      'a partition that is no number',
      v2(`{"name": "os", "stages": [${noop(', "mounts": [{"name": "root", "type": "m", "partition": "1"}]')}]}`),
      ['pipelines', 0, 'stages', 0, 'mounts', 0, 'partition'],
      'pipelines[0].stages[0].mounts[0].partition: expected a number, got a string',
    ],
    ['pipelines that are no list', '{"version": "2", "pipelines": {}}', ['pipelines'], 'pipelines: expected an array, got an object'],
    ['a stage that is no object', v2('{"name": "os", "stages": [1]}'), ['pipelines', 0, 'stages', 0], 'pipelines[0].stages[0]: expected an object, got an integer'],
    ['a stage without type', v2('{"name": "os", "stages": [{}]}'), ['pipelines', 0, 'stages', 0, 'type'], 'pipelines[0].stages[0].type: is required (a string)'],
    ['metadata that is no object', '{"version": "2", "metadata": []}', ['metadata'], 'metadata: expected an object, got an array'],
  ])('%s', (_, text, path, message) => {
    const error = loadError(text);
    expect(error.code).toBe('E_MANIFEST_INVALID');
    expect(error.message).toBe(message);
    expect(error.details.path).toEqual(path);
  });
});

describe('v1 load errors', () => {
  it.each([
    [
      'an rpm stage without options.packages',
      '{"pipeline": {"stages": [{"name": "org.osbuild.rpm", "options": {"gpgkeys": []}}]}}',
      ['pipeline', 'stages', 0, 'options', 'packages'],
      'pipeline.stages[0].options.packages: is required by org.osbuild.rpm in a v1 manifest (a list of checksums)',
    ],
    [
      'an rpm stage without options at all',
      '{"pipeline": {"stages": [{"name": "org.osbuild.rpm"}]}}',
      ['pipeline', 'stages', 0, 'options', 'packages'],
      'pipeline.stages[0].options.packages: is required by org.osbuild.rpm in a v1 manifest (a list of checksums)',
    ],
    [
      'an rpm package object without checksum',
      '{"pipeline": {"stages": [{"name": "org.osbuild.rpm", "options": {"packages": [{"check_gpg": true}]}}]}}',
      ['pipeline', 'stages', 0, 'options', 'packages', 0, 'checksum'],
      'pipeline.stages[0].options.packages[0].checksum: expected a string, got nothing',
    ],
    [
      'an rpm package of the wrong type',
      '{"pipeline": {"stages": [{"name": "org.osbuild.rpm", "options": {"packages": [5]}}]}}',
      ['pipeline', 'stages', 0, 'options', 'packages', 0],
      'pipeline.stages[0].options.packages[0]: expected a checksum string or an object with "checksum", got an integer',
    ],
    [
      'an ostree stage without commit',
      '{"pipeline": {"stages": [{"name": "org.osbuild.ostree", "options": {"ref": "x"}}]}}',
      ['pipeline', 'stages', 0, 'options', 'commit'],
      'pipeline.stages[0].options.commit: is required (a string)',
    ],
    [
      'a build without runner',
      '{"pipeline": {"build": {"pipeline": {"stages": []}}}}',
      ['pipeline', 'build', 'runner'],
      'pipeline.build.runner: is required (a string)',
    ],
    [
      'a nested build with an unknown runner',
      '{"pipeline": {"build": {"pipeline": {"build": {"pipeline": {}, "runner": "org.osbuild.gentoo"}}, "runner": "org.osbuild.debian"}}}',
      ['pipeline', 'build', 'pipeline', 'build', 'runner'],
      'pipeline.build.pipeline.build.runner: no runner for "org.osbuild.gentoo" (known runners: org.osbuild.AutoSD9, org.osbuild.almalinux8, org.osbuild.almalinux9, org.osbuild.arch, org.osbuild.asahi-fedora-remix, org.osbuild.autosd, org.osbuild.centos8, org.osbuild.centos9, org.osbuild.debian, org.osbuild.eln11, org.osbuild.fedora-asahi-remix, org.osbuild.fedora30, org.osbuild.fedora38, org.osbuild.linux, org.osbuild.ol9, org.osbuild.rhel7, org.osbuild.rhel81, org.osbuild.rhel82, org.osbuild.rhivos, org.osbuild.ubuntu1804)',
    ],
    [
      'an unknown source type',
      '{"sources": {"org.osbuild.inline": {"items": {}}}}',
      ['sources', 'org.osbuild.inline'],
      'sources["org.osbuild.inline"]: unknown source type "org.osbuild.inline" (v1 knows org.osbuild.files, org.osbuild.curl, org.osbuild.ostree, org.osbuild.librepo)',
    ],
    [
      'a curl source without urls',
      '{"sources": {"org.osbuild.files": {"items": {}}}}',
      ['sources', 'org.osbuild.files', 'urls'],
      'sources["org.osbuild.files"].urls: is required (an object: checksum → item)',
    ],
    ['a pipeline that is no object', '{"pipeline": null}', ['pipeline'], 'pipeline: expected an object, got null'],
    ['an assembler that is no object', '{"pipeline": {"assembler": "x"}}', ['pipeline', 'assembler'], 'pipeline.assembler: expected an object, got a string'],
    ['a stage without name', '{"pipeline": {"stages": [{"options": {}}]}}', ['pipeline', 'stages', 0, 'name'], 'pipeline.stages[0].name: is required (a string)'],
  ])('%s', (_, text, path, message) => {
    const error = loadError(text);
    expect(error.code).toBe('E_MANIFEST_INVALID');
    expect(error.message).toBe(message);
    expect(error.details.path).toEqual(path);
  });
});

describe('odd input never escapes as a TypeError', () => {
  const odd = ['null', '1', '"x"', 'true', '[]', '{}', '[1]', '{"x": []}', 'null'];
  const slots = [
    (x: string) => `{"pipeline": ${x}}`,
    (x: string) => `{"pipeline": {"build": ${x}}}`,
    (x: string) => `{"pipeline": {"build": {"pipeline": ${x}, "runner": "org.osbuild.debian"}}}`,
    (x: string) => `{"pipeline": {"build": {"pipeline": {}, "runner": ${x}}}}`,
    (x: string) => `{"pipeline": {"stages": ${x}}}`,
    (x: string) => `{"pipeline": {"stages": [${x}]}}`,
    (x: string) => `{"pipeline": {"stages": [{"name": ${x}}]}}`,
    (x: string) => `{"pipeline": {"stages": [{"name": "org.osbuild.rpm", "options": ${x}}]}}`,
    (x: string) => `{"pipeline": {"stages": [{"name": "org.osbuild.rpm", "options": {"packages": ${x}}}]}}`,
    (x: string) => `{"pipeline": {"stages": [{"name": "org.osbuild.ostree", "options": {"commit": ${x}}}]}}`,
    (x: string) => `{"pipeline": {"assembler": ${x}}}`,
    (x: string) => `{"sources": ${x}}`,
    (x: string) => `{"sources": {"org.osbuild.curl": ${x}}}`,
    (x: string) => `{"sources": {"org.osbuild.curl": {"urls": ${x}}}}`,
    (x: string) => v2(x),
    (x: string) => `{"version": "2", "pipelines": ${x}}`,
    (x: string) => `{"version": "2", "sources": ${x}}`,
    (x: string) => `{"version": "2", "sources": {"s": ${x}}}`,
    (x: string) => `{"version": "2", "sources": {"s": {"items": ${x}}}}`,
    (x: string) => `{"version": "2", "metadata": ${x}}`,
    (x: string) => v2(`{"name": ${x}}`),
    (x: string) => v2(`{"name": "p", "build": ${x}}`),
    (x: string) => v2(`{"name": "p", "runner": ${x}}`),
    (x: string) => v2(`{"name": "p", "source-epoch": ${x}}`),
    (x: string) => v2(`{"name": "p", "stages": ${x}}`),
    (x: string) => v2(`{"name": "p", "stages": [${x}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "options": ${x}`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "devices": ${x}`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "devices": {"d": ${x}}`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "devices": {"d": {"type": "t", "parent": ${x}}}`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "inputs": ${x}`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "inputs": {"i": ${x}}`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "inputs": {"i": {"type": "t", "origin": "org.osbuild.pipeline", "references": ${x}}}`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "inputs": {"i": {"type": "t", "origin": "org.osbuild.pipeline", "references": [${x}]}}`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "mounts": ${x}`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "mounts": [${x}]`)}]}`),
    (x: string) => v2(`{"name": "p", "stages": [${noop(`, "mounts": [{"name": "m", "type": "t", "target": ${x}}]`)}]}`),
  ];

  it(`loads or fails cleanly for ${odd.length * slots.length} odd documents`, () => {
    for (const slot of slots) {
      for (const value of odd) {
        try {
          loadManifest(parsePyJson(slot(value)), { hostRunner: 'org.osbuild.debian12' });
        } catch (error) {
          if (!isOsbuildError(error)) throw new Error(`${slot(value)}: ${String(error)}`);
        }
      }
    }
  });
});
