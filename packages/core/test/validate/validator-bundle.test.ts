import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { clearValidatorCache, loadValidators, type ValidatorRequest } from '../../src/validate/validator-bundle.js';

const dirs: string[] = [];
afterEach(() => {
  clearValidatorCache();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osbuild-ts-bundle-'));
  dirs.push(dir);
  return dir;
}

function request(id: string, schema: object): ValidatorRequest & { schemas: ReturnType<typeof vi.fn> } {
  return { identity: ['bundle test', id], schemas: vi.fn(() => ({ options: schema })) };
}

const hostname = { type: 'object', required: ['hostname'], properties: { hostname: { type: 'string' } } };
const locale = { type: 'object', required: ['language'] };

describe('loadValidators', () => {
  test('compiles once, then loads compiled code from the cache directory without reading schemas', () => {
    const cacheDir = tempDir();
    const first = loadValidators([request('hostname', hostname), request('locale', locale)], cacheDir);
    expect(first.sets[0]?.['options']?.({ hostname: 'h' })).toBe(true);
    first.persist();
    const files = readdirSync(path.join(cacheDir, 'validators')).sort();
    expect(files.filter((f) => f.startsWith('bundle-'))).toEqual([expect.stringMatching(/^bundle-\w+\.js$/), expect.stringMatching(/^bundle-\w+\.v8$/)]);
    expect(files.filter((f) => !f.startsWith('bundle-'))).toHaveLength(2);

    clearValidatorCache();
    const again = [request('hostname', hostname), request('locale', locale)];
    const second = loadValidators(again, cacheDir);
    for (const r of again) expect(r.schemas).not.toHaveBeenCalled();
    const validate = second.sets[0]?.['options'];
    expect(validate?.({ hostname: 5 })).toBe(false);
    expect(validate?.errors?.[0]).toMatchObject({ instancePath: '/hostname', keyword: 'type', data: 5 });
    expect(second.sets[1]?.['options']?.({})).toBe(false);
  });

  test('a new combination reuses the entries compiled before', () => {
    const cacheDir = tempDir();
    loadValidators([request('hostname', hostname)], cacheDir);
    clearValidatorCache();
    const known = request('hostname', hostname);
    const fresh = request('locale', locale);
    const loaded = loadValidators([fresh, known], cacheDir);
    expect(known.schemas).not.toHaveBeenCalled();
    expect(fresh.schemas).toHaveBeenCalledOnce();
    expect(loaded.sets[1]?.['options']?.({ hostname: 'x' })).toBe(true);
  });

  test('a changed identity selects other files', () => {
    const cacheDir = tempDir();
    loadValidators([request('v1', hostname)], cacheDir);
    clearValidatorCache();
    const changed = request('v2', locale);
    expect(loadValidators([changed], cacheDir).sets[0]?.['options']?.({ hostname: 'x' })).toBe(false);
    expect(changed.schemas).toHaveBeenCalledOnce();
  });

  test('a damaged bundle or code cache is rebuilt', () => {
    const cacheDir = tempDir();
    loadValidators([request('hostname', hostname)], cacheDir).persist();
    const dir = path.join(cacheDir, 'validators');
    for (const file of readdirSync(dir).filter((f) => f.startsWith('bundle-'))) writeFileSync(path.join(dir, file), 'garbage(');
    clearValidatorCache();
    const loaded = loadValidators([request('hostname', hostname)], cacheDir);
    expect(loaded.sets[0]?.['options']?.({ hostname: 'x' })).toBe(true);
  });

  test('without a cache directory nothing is written', () => {
    const loaded = loadValidators([request('memory', hostname)], null);
    loaded.persist();
    expect(loaded.sets[0]?.['options']?.({})).toBe(false);
  });

  test('a schema without parts compiles to an empty set, without ajv', () => {
    const cacheDir = tempDir();
    const loaded = loadValidators([{ identity: ['empty'], schemas: () => ({}) }], cacheDir);
    expect(loaded.sets[0]).toEqual({});
  });

  test('compile failures go through the request\'s compileError', () => {
    const broken: ValidatorRequest = {
      identity: ['broken'],
      schemas: () => ({ options: { $ref: '#/definitions/missing' } }),
      compileError: (cause) => new Error(`plugin x: ${(cause as Error).message}`),
    };
    expect(() => loadValidators([broken], null)).toThrowError(/^plugin x: .*missing/);
  });

  test('memoises in-process', () => {
    const cacheDir = tempDir();
    const first = loadValidators([request('hostname', hostname)], cacheDir);
    expect(loadValidators([request('hostname', hostname)], cacheDir).sets[0]).toBe(first.sets[0]);
    expect(existsSync(path.join(cacheDir, 'validators'))).toBe(true);
  });
});
