import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Registry } from '../../src/plugins/index.js';
import { formatDottedPath, validateManifest, type ValidationIssue } from '../../src/validate/index.js';
import { schemaFileForm, schemaParts } from '../../src/validate/plugin-schema-file.js';
import { BROKEN_DIR, FIXTURES_DIR } from '../fixtures/make-project.js';
import { readPyJson } from './read-py-json.js';
import { fixtureRegistry } from './registry.js';

const fail = (what: string) => new Error(`schema file ${what}`);

describe('telling the two forms apart', () => {
  test.each([
    ['plain: type + properties', { type: 'object', properties: { a: {} } }, 'plain'],
    ['plain: only a $ref and its definitions', { $ref: '#/definitions/x', definitions: { x: {} } }, 'plain'],
    ['plain: oneOf', { oneOf: [{ required: ['a'] }, { required: ['b'] }] }, 'plain'],
    ["osbuild's: options and inputs", { options: { type: 'object' }, inputs: {} }, 'osbuild'],
    ["osbuild's: shared definitions and a description", { description: 'x', definitions: {}, options: {} }, 'osbuild'],
    ["osbuild's: empty (accepts anything either way)", {}, 'osbuild'],
  ] as const)('%s', (_, file, form) => {
    expect(schemaFileForm(file as Record<string, unknown>, fail)).toBe(form);
  });

  test('both at once is refused, naming the keys of each form', () => {
    expect(() => schemaFileForm({ options: {}, type: 'object', properties: {} }, fail)).toThrowError(
      /mixes osbuild's form \("options"\) with JSON Schema keywords of a plain options schema \("type", "properties"\)/,
    );
  });

  test('a plain schema becomes the options part, keeping its own definitions', () => {
    const parts = schemaParts({ $schema: 'x', type: 'object', definitions: { d: { minimum: 1, exclusiveMinimum: true } } }, 'stage', fail);
    expect(parts).toEqual({ options: { type: 'object', definitions: { d: { exclusiveMinimum: 1 } } } });
  });

  test("an unknown key in osbuild's form says the plain form exists", () => {
    expect(() => schemaParts({ options: {}, extra: {} }, 'stage', fail)).toThrowError(/or write the file as a plain JSON Schema of the options/);
  });
});

describe('a third-party stage with a plain options schema', () => {
  let registry: Registry;
  let cacheDir: string;
  let remove: () => void;
  beforeAll(async () => {
    ({ registry, cacheDir, remove } = await fixtureRegistry([
      path.join(FIXTURES_DIR, 'third-party', 'plain-schema'),
      path.join(BROKEN_DIR, 'schema-mixed-forms'),
    ]));
  });
  afterAll(() => remove());
  const validate = (stages: unknown[]): ValidationIssue[] =>
    validateManifest(readPyJson(JSON.stringify({ version: '2', pipelines: [{ name: 'os', stages }] })), registry, { cacheDir });

  test('validates options against it', () => {
    expect(validate([{ type: 'org.acme.motdplain', options: { text: 'hi', colour: 'red' } }])).toEqual([]);
    const issues = validate([{ type: 'org.acme.motdplain', options: { text: '', colour: 'blue', size: 1 } }]);
    expect(issues.map((i) => formatDottedPath(i.path)).sort()).toEqual([
      '.pipelines[0].stages[0].options',
      '.pipelines[0].stages[0].options.colour',
      '.pipelines[0].stages[0].options.text',
    ]);
  });

  test('leaves its inputs, devices and mounts open', () => {
    expect(validate([{ type: 'org.acme.motdplain', options: { text: 'hi' }, inputs: { anything: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: {} } } }])).toEqual([]);
  });

  test('a file mixing both forms names the plugin', () => {
    expect(() => validate([{ type: 'org.fixture.mixedforms', options: {} }])).toThrowError(/schema-mixed-forms@1\.0\.0: schema file .* mixes osbuild's form/);
  });
});
