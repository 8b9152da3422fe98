import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PyJson } from '../../src/json/types.js';
import { createRegistry, type Registry } from '../../src/plugins/index.js';
import { formatDottedPath, validateManifest, type ValidationIssue } from '../../src/validate/index.js';
import { BROKEN_DIR } from '../fixtures/make-project.js';
import { readPyJson } from './read-py-json.js';
import { fixtureRegistry } from './registry.js';

let registry: Registry;
let cacheDir: string;
let remove: () => void;
beforeAll(async () => {
  ({ registry, cacheDir, remove } = await fixtureRegistry([
    path.join(BROKEN_DIR, 'schema-wrong-part'),
    path.join(BROKEN_DIR, 'schema-not-compiling'),
  ]));
});
afterAll(() => remove());

const validate = (manifest: unknown): ValidationIssue[] => validateManifest(readPyJson(JSON.stringify(manifest)), registry, { cacheDir });
const paths = (issues: ValidationIssue[]) => issues.map((i) => formatDottedPath(i.path));
const v2 = (stages: unknown[], extra: Record<string, unknown> = {}) => ({ version: '2', pipelines: [{ name: 'os', stages }], ...extra });

const vectorsDir = new URL('../vectors/', import.meta.url);
const vectors = readdirSync(vectorsDir).filter((f) => f.endsWith('.json') && !f.endsWith('.inspect.json'));

describe('the test vectors', () => {
  test('are all there', () => {
    expect(vectors).toHaveLength(14);
  });

  test.each(vectors)('%s is valid', (file) => {
    const doc = readPyJson(readFileSync(new URL(file, vectorsDir), 'utf8'));
    expect(validateManifest(doc, registry, { cacheDir })).toEqual([]);
  });
});

describe('paths, as osbuild reports them', () => {
  // Each expectation was checked against upstream osbuild (`--inspect`) with
  // its own stage schemas; the messages are ours, the paths must agree.
  const cases: Array<[string, unknown, string[]]> = [
    ['v1 unexpected top-level key', { pipeline: {}, extra: 1 }, ['.']],
    ['v1 build without runner', { pipeline: { build: { pipeline: {} } } }, ['.pipeline.build']],
    ['v1 options not an object', { pipeline: { stages: [{ name: 'org.osbuild.noop', options: [] }] } }, ['.pipeline.stages[0].options']],
    [
      'v1 wrong and unexpected options',
      { pipeline: { stages: [{ name: 'org.osbuild.hostname', options: { hostname: 5, extra: 1, more: 2 } }] } },
      ['.pipeline.stages[0].options', '.pipeline.stages[0].options.hostname'],
    ],
    [
      'v1 build pipelines are validated recursively',
      { pipeline: { build: { pipeline: { stages: [{ name: 'org.osbuild.locale', options: { language: 1 } }] }, runner: 'org.osbuild.fedora38' } } },
      ['.pipeline.build.pipeline.stages[0].options.language'],
    ],
    [
      'v1 rpm packages',
      { pipeline: { stages: [{ name: 'org.osbuild.rpm', options: { packages: [5, { checksum: 1 }, { check_gpg: true }], pakages: [] } }] } },
      ['.pipeline.stages[0].options', '.pipeline.stages[0].options.packages[0]', '.pipeline.stages[0].options.packages[1]', '.pipeline.stages[0].options.packages[2]'],
    ],
    [
      'v1 org.osbuild.files is reported under org.osbuild.curl',
      { sources: { 'org.osbuild.files': { urls: { 'sha256:0123456789abcdef0123456789abcdef': 5 } } } },
      ['.sources.org.osbuild.curl.urls.sha256:0123456789abcdef0123456789abcdef'],
    ],
    [
      'v1 assembler',
      { pipeline: { assembler: { name: 'org.osbuild.qemu', options: { format: 'qcow3', filename: 'x', size: 'big' } } } },
      ['.pipeline.assembler.options', '.pipeline.assembler.options', '.pipeline.assembler.options.format', '.pipeline.assembler.options.size'],
    ],
    ['v1 key with a space', { pipeline: { stages: [{ name: 'org.osbuild.systemd', options: { 'enabled services': [] } }] } }, ['.pipeline.stages[0].options']],
    ['v1 unknown stage', { pipeline: { stages: [{ name: 'org.osbuild.hostnme', options: {} }] } }, ['.pipeline.stages[0]']],
    ['v2 without version', { pipelines: [] }, ['.']],
    [
      'v2 inputs',
      v2([{ type: 'org.osbuild.tar', options: { filename: 'x' }, inputs: { '1bad': {}, tree: { type: 'org.osbuild.tree', origin: 'nope', references: [] } } }]),
      ['.pipelines[0].stages[0].inputs', '.pipelines[0].stages[0].inputs.tree.origin', '.pipelines[0].stages[0].inputs.tree.references'],
    ],
    [
      'v2 devices by name, mounts by name (not index)',
      v2([
        {
          type: 'org.osbuild.noop',
          devices: { d: { type: 'org.osbuild.loopback', options: { filename: 1 } } },
          mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'd', target: '/', options: { readonly: 'yes' } }],
        },
      ]),
      ['.pipelines[0].stages[0].devices.d.options.filename', '.pipelines[0].stages[0].mounts.root.options.readonly'],
    ],
    [
      'v2 sources',
      {
        version: '2',
        sources: {
          'org.osbuild.curl': { items: { 'sha256:0123456789abcdef0123456789abcdef': { url: 1 } } },
          'org.osbuild.nope': { items: {} },
          'org.osbuild.inline': { items: {}, extra: 1 },
        },
        pipelines: [],
      },
      ['.sources.org.osbuild.curl.items.sha256:0123456789abcdef0123456789abcdef', '.sources.org.osbuild.inline', '.sources.org.osbuild.nope'],
    ],
    ['v2 copy paths', v2([{ type: 'org.osbuild.copy', options: { paths: [{ from: 'nowhere', to: 'tree:///x' }] } }]), ['.pipelines[0].stages[0].options.paths[0].from']],
    [
      'v2 metadata',
      { version: '2', metadata: { generators: [{ version: 1 }], x: 1 } },
      ['.metadata', '.metadata.generators[0]', '.metadata.generators[0].version'],
    ],
    [
      'v2 users',
      v2([{ type: 'org.osbuild.users', options: { users: { 'bad name': { uid: 'x' }, ok: { uid: '1', keys: 'k' } } } }]),
      ['.pipelines[0].stages[0].options.users', '.pipelines[0].stages[0].options.users.ok.keys', '.pipelines[0].stages[0].options.users.ok.uid'],
    ],
  ];

  test.each(cases)('%s', (_, manifest, expected) => {
    expect(paths(validate(manifest))).toEqual(expected);
  });
});

describe('messages', () => {
  test('a wrong type deep in options says where, what was expected and what was found, and which plugin', () => {
    const issues = validate(v2([{ type: 'org.osbuild.mkdir', options: { paths: [{ path: '/a' }, { path: '/b', mode: '0755' }] } }]));
    expect(issues).toEqual([
      {
        path: ['pipelines', 0, 'stages', 0, 'options', 'paths', 1, 'mode'],
        message: 'expected a number, got a string ("0755")',
        plugin: '@osbuild-ts-fixtures/stage-mkdir@1.0.0',
      },
    ]);
  });

  test('a misspelt option lists what is allowed and guesses', () => {
    const [issue] = validate({ pipeline: { stages: [{ name: 'org.osbuild.systemd', options: { enabled_service: [] } }] } });
    expect(issue?.message).toBe(
      'unexpected property "enabled_service" (did you mean "enabled_services"? allowed: enabled_services, disabled_services, masked_services, masked_generators, default_target)',
    );
  });

  test('a missing required option', () => {
    expect(validate(v2([{ type: 'org.osbuild.hostname', options: {} }]))).toEqual([
      { path: ['pipelines', 0, 'stages', 0, 'options'], message: 'missing required property "hostname"', plugin: '@osbuild-ts-fixtures/stage-hostname@1.0.0' },
    ]);
  });

  test('an unknown stage: osbuild\'s message, suggestions, and how many are installed', () => {
    const [issue] = validate(v2([{ type: 'org.osbuild.hostnme' }]));
    expect(issue).toEqual({
      path: ['pipelines', 0, 'stages', 0],
      message: "could not find schema information for 'org.osbuild.hostnme' (did you mean: org.osbuild.hostname?); 20 stages are installed",
    });
  });

  test('an unknown module that is installed as another kind says so', () => {
    const [issue] = validate({ pipeline: { stages: [{ name: 'org.osbuild.rawfs' }] } });
    expect(issue?.message).toBe(
      "could not find schema information for 'org.osbuild.rawfs'; 20 stages are installed; 'org.osbuild.rawfs' is installed as an assembler, not as a stage",
    );
  });

  test('with nothing installed, says where it looked', () => {
    const empty = createRegistry([], { projectDir: '/srv/project' });
    const issues = validateManifest(readPyJson('{"pipeline": {"stages": [{"name": "org.osbuild.noop"}]}}'), empty, { cacheDir: null });
    expect(issues[0]?.message).toBe(
      "could not find schema information for 'org.osbuild.noop'; no stages are installed (looked in node_modules from /srv/project upwards); " +
        "'org.osbuild.noop' is provided by @osbuild-ts/stage-noop: npm install @osbuild-ts/stage-noop",
    );
  });

  test('an unknown module names the package that provides it, or says there is none yet', () => {
    const empty = createRegistry([], {});
    const message = (doc: string) => validateManifest(readPyJson(doc), empty, { cacheDir: null })[0]?.message;
    expect(message('{"version": "2", "pipelines": [{"name": "os", "stages": [{"type": "org.osbuild.rpm"}]}]}')).toContain(
      "'org.osbuild.rpm' is provided by @osbuild-ts/stage-rpm: npm install @osbuild-ts/stage-rpm",
    );
    expect(message('{"version": "2", "pipelines": [{"name": "os", "stages": [{"type": "org.osbuild.zipl"}]}]}')).toContain(
      "'org.osbuild.zipl' is an osbuild stage, but osbuild-ts has no package for it yet",
    );
    expect(message('{"version": "2", "pipelines": [{"name": "os", "stages": [{"type": "org.acme.nothing"}]}]}')).not.toContain('provided by');
  });

  test('a v1 manifest with "pipelines" probably lacks its version', () => {
    expect(validate({ pipelines: [] })[0]?.message).toBe(
      'unexpected property "pipelines" (did you mean "pipeline"? allowed: pipeline, sources); a version 2 manifest needs "version": "2"',
    );
  });
});

describe('what is checked', () => {
  test('absent options are not validated, even when the schema requires some (upstream quirk)', () => {
    expect(validate(v2([{ type: 'org.osbuild.hostname' }]))).toEqual([]);
    expect(validate({ pipeline: { stages: [{ name: 'org.osbuild.hostname' }] } })).toEqual([]);
  });

  test('a part the structure already rejects is not checked again by the plugin', () => {
    expect(validate(v2([{ type: 'org.osbuild.hostname', options: [] }]))).toEqual([
      { path: ['pipelines', 0, 'stages', 0, 'options'], message: 'expected an object, got an empty array' },
    ]);
  });

  test('a part the plugin declares no schema for accepts anything', () => {
    // stage-hostname only declares options.
    expect(validate(v2([{ type: 'org.osbuild.hostname', options: { hostname: 'h' }, inputs: { x: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:a'] } } }]))).toEqual([]);
  });

  test('stage inputs are checked against the stage schema and each input against its own', () => {
    const issues = validate(v2([{ type: 'org.osbuild.tar', options: { filename: 'a.tar' }, inputs: { other: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:a'], options: { x: 1 } } } }]));
    expect(issues.map((i) => [formatDottedPath(i.path), i.plugin])).toEqual([
      ['.pipelines[0].stages[0].inputs', '@osbuild-ts-fixtures/stage-tar@1.0.0'],
      ['.pipelines[0].stages[0].inputs', '@osbuild-ts-fixtures/stage-tar@1.0.0'],
      ['.pipelines[0].stages[0].inputs.other.options', '@osbuild-ts-fixtures/input-tree@1.0.0'],
    ]);
  });

  test('of two mounts with one name only the last is checked, as upstream', () => {
    const mount = (options: unknown) => ({ name: 'root', type: 'org.osbuild.ext4', source: 'd', target: '/', options });
    expect(validate(v2([{ type: 'org.osbuild.noop', mounts: [mount({ readonly: 'bad' }), mount({ readonly: true })] }]))).toEqual([]);
  });

  test('source-epoch must be an int; 1.0 is a float, as in draft 4', () => {
    const doc = readPyJson('{"version": "2", "pipelines": [{"name": "a", "source-epoch": 1.0}, {"name": "b", "source-epoch": 7}, {"name": "c", "source-epoch": 1.5}]}');
    expect(validateManifest(doc, registry, { cacheDir })).toEqual([
      { path: ['pipelines', 0, 'source-epoch'], message: 'expected an integer, got a float (1)' },
      { path: ['pipelines', 2, 'source-epoch'], message: 'expected an integer, got a number (1.5)' },
    ]);
  });

  test('a key named __proto__ is an ordinary key', () => {
    const doc = readPyJson('{"version": "2", "pipelines": [{"name": "a", "stages": [{"type": "org.osbuild.hostname", "options": {"hostname": "h", "__proto__": {"x": 1}}}]}]}');
    expect(validateManifest(doc, registry, { cacheDir }).map((i) => i.message)).toEqual(['unexpected property "__proto__" (allowed: hostname)']);
  });

  test('inherited names do not count as present', () => {
    expect(paths(validate(v2([{ type: 'org.example.motd', options: { constructor: 'x' } }])))).toEqual([
      '.pipelines[0].stages[0].options',
      '.pipelines[0].stages[0].options',
    ]);
  });

  test('results are de-duplicated and sorted by the dotted path', () => {
    const issues = validate({
      version: '2',
      sources: { 'org.osbuild.nope': { items: {} } },
      pipelines: [
        { name: 'b', stages: [{ type: 'org.osbuild.x' }, { type: 'org.osbuild.x' }] },
        { name: 'a', stages: [{ type: 'org.osbuild.hostname', options: {} }] },
      ],
      metadata: { x: 1 },
    });
    expect(paths(issues)).toEqual([
      '.metadata',
      '.pipelines[0].stages[0]',
      '.pipelines[0].stages[1]',
      '.pipelines[1].stages[0].options',
      '.sources.org.osbuild.nope',
    ]);
  });

  test('malformed shapes that crash upstream are reported, not crashed on', () => {
    expect(paths(validate({ version: '2', pipelines: [{ name: 'a', 'source-epoch': 'x', stages: [{ options: {} }], bogus: 1 }] }))).toEqual([
      '.pipelines[0]',
      '.pipelines[0].source-epoch',
      '.pipelines[0].stages[0]',
    ]);
    expect(validate(v2([{ type: 'org.osbuild.noop', devices: 'x', inputs: 5 }]))).toEqual([]);
    expect(paths(validate({ pipeline: { stages: [{ options: {} }], build: [] } }))).toEqual(['.pipeline.build', '.pipeline.stages[0]']);
    expect(paths(validate({ pipeline: 'x', sources: [] }))).toEqual(['.pipeline', '.sources']);
  });
});

describe('broken plugin schemas', () => {
  test('a part the kind cannot have names the plugin', () => {
    const manifest = v2([{ type: 'org.osbuild.noop', devices: { d: { type: 'org.fixture.wrongpart', options: {} } } }]);
    expect(() => validate(manifest)).toThrowError(
      expect.objectContaining({
        code: 'E_PLUGIN_DISCOVERY',
        message: expect.stringContaining('@osbuild-ts-fixtures/schema-wrong-part@1.0.0: schema file') as unknown,
      }) as Error,
    );
  });

  test('a schema that does not compile names the plugin', () => {
    expect(() => validate(v2([{ type: 'org.fixture.uncompilable', options: {} }]))).toThrowError(/schema-not-compiling@1\.0\.0: its schema file .* does not compile/);
  });

  test('a broken plugin the manifest does not use costs nothing', () => {
    expect(validate(v2([{ type: 'org.osbuild.noop' }]))).toEqual([]);
  });
});

export type { PyJson };
