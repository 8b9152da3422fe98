import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaCases } from '../src/schema-cases.js';
import { testdir } from '../src/test-dir.js';

/** A plugin package as the engine finds one: package.json's `osbuild` field naming its schema file; returns its test directory. */
function pluginPackage(schema: unknown, { kind = 'stage', schemaFile = 'schema.json' } = {}): string {
  const dir = testdir('schema-cases');
  const osbuild = { apiVersion: 1, kind, name: 'org.example.thing', schema: `./${schemaFile}`, entry: './dist/main.js' };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@example/thing', version: '1.0.0', osbuild }));
  mkdirSync(join(dir, 'test'));
  if (schema !== undefined) {
    mkdirSync(join(dir, schemaFile, '..'), { recursive: true });
    writeFileSync(join(dir, schemaFile), JSON.stringify(schema));
  }
  return join(dir, 'test');
}

const hostname = {
  options: { type: 'object', additionalProperties: false, required: ['hostname'], properties: { hostname: { type: 'string' } } },
};

/** The message of what `run` throws. */
function thrown(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected it to throw');
}

describe('schemaCases', () => {
  it('passes when every document is accepted or refused as listed', () => {
    const schema = schemaCases(pluginPackage(hostname));
    expect(schema.kind).toBe('stage');
    schema.accepts('options', [{ hostname: 'box' }, { hostname: '' }]);
    schema.refuses('options', [{}, { hostname: 1 }]);
  });

  it('names each document a part refuses that it should accept, with ajv\'s reasons', () => {
    const schema = schemaCases(pluginPackage(hostname));
    expect(thrown(() => schema.accepts('options', [{ hostname: 'box' }, { hostname: 1, domain: 'x' }, {}]))).toBe(
      [
        '@example/thing (stage org.example.thing): "options" refused 2 of 3 documents it should accept:',
        '  options case 2: {"hostname":1,"domain":"x"}',
        '    options must NOT have additional properties (domain); options/hostname must be string',
        '  options case 3: {}',
        "    options must have required property 'hostname'",
      ].join('\n'),
    );
  });

  it('names each document a part accepts that it should refuse, and returns the errors of the others', () => {
    const schema = schemaCases(pluginPackage(hostname));
    expect(thrown(() => schema.refuses('options', [{}, { hostname: 'box' }]))).toBe(
      ['@example/thing (stage org.example.thing): "options" accepted 1 of 2 documents it should refuse:', '  options case 2: {"hostname":"box"}'].join('\n'),
    );
    const errors = schema.refuses('options', [{ hostname: 'box', domain: 'x' }, {}]);
    expect(errors.map((found) => found.map((e) => e.keyword))).toEqual([['additionalProperties'], ['required']]);
  });

  it('shortens a long document in a message', () => {
    const schema = schemaCases(pluginPackage(hostname));
    const message = thrown(() => schema.refuses('options', [{ hostname: 'x'.repeat(500) }]));
    expect(message).toMatch(/options case 1: \{"hostname":"x+…$/);
    expect(message.split('\n')[1]!.length).toBeLessThan(200);
  });

  it('reads the schema file osbuild.schema names, from any directory of the package', () => {
    const testDir = pluginPackage({ inputs: { type: 'object', required: ['tree'] } }, { schemaFile: 'dist/schema.json' });
    const schema = schemaCases(join(testDir, '..'));
    expect(schema.path).toBe(join(testDir, '..', 'dist', 'schema.json'));
    expect(schemaCases(testDir).file).toEqual({ inputs: { type: 'object', required: ['tree'] } });
    schema.refuses('inputs', [{}]);
  });

  it('compiles as the engine does: shared definitions, draft-4 bounds, no formats, no strict mode, Python-like patterns', () => {
    const schema = schemaCases(
      pluginPackage({
        definitions: { size: { type: 'number', minimum: 0, exclusiveMinimum: true } },
        options: {
          type: 'object',
          properties: {
            size: { $ref: '#/definitions/size' },
            uuid: { type: 'string', format: 'uuid' },
            name: { type: 'string', pattern: '^a\\-b$', deprecated: 'unknown keywords are allowed' },
          },
        },
      }),
    );
    schema.accepts('options', [{ size: 1 }, { uuid: 'not-a-uuid' }, { name: 'a-b' }]);
    schema.refuses('options', [{ size: 0 }, { size: 'big' }, { name: 'ab' }]);
  });

  it('counts only a document\'s own members, as manifests are JSON: undefined is absent, constructor is not inherited', () => {
    const schema = schemaCases(pluginPackage({ options: { type: 'object', required: ['constructor', 'name'] } }));
    schema.accepts('options', [{ constructor: 1, name: 'x' }]);
    schema.refuses('options', [{ name: 'x' }, { constructor: 1, name: undefined }]);
  });

  it('treats an absent part as the engine does, accepting anything, and says so when a refusal fails', () => {
    const schema = schemaCases(pluginPackage(hostname));
    schema.accepts('devices', [{}, { anything: 1 }]);
    expect(thrown(() => schema.refuses('devices', [{ device: 1 }]))).toMatch(/"devices" accepted 1 of 1 documents it should refuse \(.*schema\.json has no "devices", so anything is accepted there\)/);
  });

  it('knows the parts of each kind of plugin', () => {
    const mount = schemaCases(pluginPackage(hostname, { kind: 'mount' }));
    expect(mount.parts).toEqual(['options']);
    expect(thrown(() => mount.accepts('inputs', [{}]))).toBe('@example/thing (mount org.example.thing): a mount schema has no "inputs" (it has: options)');
    expect(schemaCases(pluginPackage({ items: { type: 'object' } }, { kind: 'source' })).parts).toEqual(['items', 'options']);
  });

  it('refuses a schema file the engine would refuse, naming the file', () => {
    const extra = pluginPackage({ ...hostname, inputz: {} });
    expect(thrown(() => schemaCases(extra))).toBe(
      `@example/thing: schema file ${join(extra, '..', 'schema.json')} has "inputz", which a stage schema in osbuild's form cannot have (allowed: options, inputs, devices, mounts, definitions, $defs; ` +
        'or write the file as a plain JSON Schema of the options, {"type": "object", "properties": …})',
    );
    expect(thrown(() => schemaCases(pluginPackage({ options: 'object' })))).toMatch(/has a "options" that is not a JSON Schema/);
    expect(thrown(() => schemaCases(pluginPackage([])))).toMatch(/schema\.json must hold a JSON object$/);
  });

  it('reads a plain JSON Schema of the options as the options part', () => {
    const plain = schemaCases(pluginPackage({ type: 'object', required: ['hostname'], properties: { hostname: { type: 'string' } } }));
    plain.accepts('options', [{ hostname: 'box' }]);
    plain.refuses('options', [{}, { hostname: 1 }]);
    plain.accepts('inputs', [{ anything: 1 }]);
  });

  it('says when the schema file is missing (a generated one not built yet) or there is no plugin package', () => {
    expect(thrown(() => schemaCases(pluginPackage(undefined, { schemaFile: 'dist/schema.json' })))).toMatch(
      /dist\/schema\.json does not exist \(is it generated by the package's build\?\)$/,
    );
    const bare = testdir('schema-cases-bare');
    writeFileSync(join(bare, 'package.json'), '{"name": "not-a-plugin"}');
    expect(thrown(() => schemaCases(bare))).toMatch(/^no package\.json with an "osbuild" field at or above /);
  });

  it('names the part and file of a schema that does not compile', () => {
    const schema = schemaCases(pluginPackage({ options: { $ref: '#/definitions/missing' } }));
    expect(thrown(() => schema.accepts('options', [{}]))).toMatch(/^@example\/thing \(stage org\.example\.thing\): "options" in .*schema\.json does not compile: can't resolve reference/);
  });
});
