import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, test } from 'vitest';
import { checkPluginField } from '../../src/plugins/check-plugin-field.js';

/**
 * schemas/plugin-field.schema.json documents the `osbuild` field; discovery
 * checks it by hand (no ajv at start-up). The schema is snapshotted so a
 * change to the contract is deliberate, and both must agree on every sample.
 */

const schemaFile = new URL('../../schemas/plugin-field.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

const pkg = mkdtempSync(path.join(os.tmpdir(), 'osbuild-ts-field-'));
mkdirSync(path.join(pkg, 'dist'));
writeFileSync(path.join(pkg, 'schema.json'), '{}');
writeFileSync(path.join(pkg, 'dist', 'main.js'), '');
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

const good = { apiVersion: 1, kind: 'stage', name: 'org.acme.motd', schema: './schema.json', entry: './dist/main.js' };

const samples: Array<[string, unknown]> = [
  ['minimal', good],
  ['every key', { ...good, capabilities: ['CAP_MAC_ADMIN', 'CAP_SYS_PTRACE'], tools: [{ command: 'mkfs.ext4', package: 'e2fsprogs' }] }],
  ['each kind', { ...good, kind: 'mount' }],
  ['schema without ./', { ...good, schema: 'schema.json' }],
  ['name with dashes and capitals after the first segment', { ...good, name: 'org.osbuild.mkfs.Fat-32_x' }],
  ['not an object', 'org.acme.motd'],
  ['an array', [good]],
  ['unknown key', { ...good, entrypoint: './dist/main.js' }],
  ['apiVersion missing', { ...good, apiVersion: undefined }],
  ['apiVersion 2', { ...good, apiVersion: 2 }],
  ['apiVersion 0', { ...good, apiVersion: 0 }],
  ['apiVersion as string', { ...good, apiVersion: '1' }],
  ['apiVersion 1.5', { ...good, apiVersion: 1.5 }],
  ['unknown kind', { ...good, kind: 'runner' }],
  ['kind missing', { ...good, kind: undefined }],
  ['name without a dot', { ...good, name: 'motd' }],
  ['name with a capital first segment', { ...good, name: 'Org.acme.motd' }],
  ['name with a space', { ...good, name: 'org.acme.m otd' }],
  ['absolute schema', { ...good, schema: '/etc/schema.json' }],
  ['empty entry', { ...good, entry: '' }],
  ['entry missing', { ...good, entry: undefined }],
  ['capability without CAP_', { ...good, capabilities: ['MAC_ADMIN'] }],
  ['capabilities not an array', { ...good, capabilities: 'CAP_MAC_ADMIN' }],
  ['tool without package', { ...good, tools: [{ command: 'tar' }] }],
  ['tool with extra key', { ...good, tools: [{ command: 'tar', package: 'tar', version: '1' }] }],
  ['tool with empty command', { ...good, tools: [{ command: '', package: 'tar' }] }],
  ['tool with alternative commands', { ...good, tools: [{ command: ['grub-mkimage', 'grub2-mkimage'], package: 'grub-common' }] }],
  ['tool with no alternatives', { ...good, tools: [{ command: [], package: 'grub-common' }] }],
  ['tool with an empty alternative', { ...good, tools: [{ command: ['grub-mkimage', ''], package: 'grub-common' }] }],
  ['a mount with its file system', { ...good, kind: 'mount', filesystem: 'vfat' }],
  ['a file system on a stage', { ...good, filesystem: 'vfat' }],
  ['a file system on a kindless field', { ...good, kind: undefined, filesystem: 'vfat' }],
  ['a file system that is not a name', { ...good, kind: 'mount', filesystem: 'V FAT' }],
  ['a file system that is not a string', { ...good, kind: 'mount', filesystem: ['vfat'] }],
  ['a stage with a resolver', { ...good, resolve: './dist/main.js' }],
  ['a resolver on a source', { ...good, kind: 'source', resolve: './dist/main.js' }],
  ['a resolver that is not a path', { ...good, resolve: '' }],
];

describe('plugin-field.schema.json', () => {
  test('is the documented contract', async () => {
    // A file snapshot (no header): changing the contract must be deliberate (`vitest -u`).
    await expect(`${JSON.stringify(schema, null, 2)}\n`).toMatchFileSnapshot('./__snapshots__/plugin-field.schema.json');
  });

  test.each(samples)('hand check and schema agree: %s', (_, sample) => {
    const field = withoutUndefined(sample);
    const byHand = checkPluginField(field, pkg);
    expect(byHand.ok).toBe(validate(field));
  });
});

describe('checkPluginField', () => {
  test('resolves schema and entry to real paths inside the package', () => {
    const result = checkPluginField({ ...good, capabilities: ['CAP_MAC_ADMIN'] }, pkg);
    expect(result).toEqual({
      ok: true,
      field: {
        apiVersion: 1,
        kind: 'stage',
        name: 'org.acme.motd',
        schemaPath: path.join(pkg, 'schema.json'),
        entryPath: path.join(pkg, 'dist', 'main.js'),
        capabilities: ['CAP_MAC_ADMIN'],
        tools: [],
      },
    });
  });

  test('names the supported apiVersion range', () => {
    expect(checkPluginField({ ...good, apiVersion: 3 }, pkg)).toEqual({
      ok: false,
      problems: ['unsupported "osbuild.apiVersion" 3 (this osbuild-ts supports apiVersion 1)'],
    });
  });

  test('refuses paths leaving the package, and paths to nothing', () => {
    const result = checkPluginField({ ...good, schema: '../schema.json', entry: './dist/nope.js' }, pkg);
    expect(result).toEqual({
      ok: false,
      problems: ['"osbuild.schema" (../schema.json) points outside the package', '"osbuild.entry" (./dist/nope.js) does not exist'],
    });
  });

  test("keeps a mount's file system, and refuses one on other kinds", () => {
    const mount = checkPluginField({ ...good, kind: 'mount', filesystem: 'vfat' }, pkg);
    expect(mount.ok && mount.field.filesystem).toBe('vfat');
    expect(checkPluginField({ ...good, filesystem: 'vfat' }, pkg)).toEqual({
      ok: false,
      problems: ['"osbuild.filesystem" is for mount plugins only; this one is a "stage"'],
    });
  });

  test('a directory is not an entry', () => {
    const result = checkPluginField({ ...good, entry: './dist' }, pkg);
    expect(result).toEqual({ ok: false, problems: ['"osbuild.entry" (./dist) is not a file'] });
  });

  test('a file whose name starts with two dots is inside the package', () => {
    writeFileSync(path.join(pkg, '..schema.json'), '{}');
    expect(checkPluginField({ ...good, schema: './..schema.json' }, pkg).ok).toBe(true);
  });
});

function withoutUndefined(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
