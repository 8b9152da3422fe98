import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { hashPackage } from '../../src/plugins/index.js';
import { cachedPackageHash } from '../../src/plugins/package-hash-cache.js';
import { PLUGINS_DIR } from '../fixtures/make-project.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'osbuild-ts-package-hash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const later = () => Date.now() + 60_000; // as if the files were written a minute ago
const fail = async (): Promise<string> => {
  throw new Error('hashed again although nothing changed');
};

function setup(name: string) {
  const dir = path.join(work, name);
  cpSync(path.join(PLUGINS_DIR, 'example-motd'), dir, { recursive: true });
  return { dir, cache: path.join(work, `${name}-cache`) };
}

const cached = (cache: string, dir: string, compute = (s: Map<string, string>) => hashPackage(dir, s), nowMs = later()) =>
  cachedPackageHash(cache, dir, compute, { nowMs });

test('the hash is the package hash, and is reused while nothing changed', async () => {
  const { dir, cache } = setup('same');
  const first = await cached(cache, dir);
  expect(first).toBe(await hashPackage(dir));
  expect(await cached(cache, dir, fail)).toBe(first);
});

test('an edited byte (same size), a new file or a removed file is seen', async () => {
  const { dir, cache } = setup('edit');
  const main = path.join(dir, 'lib', 'main.js');
  const first = await cached(cache, dir);
  // Past the file system's clock tick (what the racy rule guards in real use; here `later` fakes the age).
  await new Promise((resolve) => setTimeout(resolve, 50));

  writeFileSync(main, sameLengthEdit(main));
  const edited = await cached(cache, dir);
  expect(edited).not.toBe(first);
  expect(edited).toBe(await hashPackage(dir));

  writeFileSync(path.join(dir, 'lib', 'new.js'), '');
  const added = await cached(cache, dir);
  expect(added).not.toBe(edited);
  expect(added).toBe(await hashPackage(dir));

  rmSync(path.join(dir, 'lib', 'new.js'));
  expect(await cached(cache, dir)).toBe(edited);
});

test('a hash whose files changed within the clock tick is not kept', async () => {
  const { dir, cache } = setup('racy');
  await cached(cache, dir, undefined, Date.now());
  expect(existsSync(cache) ? readdirSync(path.join(cache, 'package-hashes')) : []).toEqual([]);
});

function sameLengthEdit(file: string): string {
  const text = readFileSync(file, 'utf8');
  return text.slice(0, -1) + (text.endsWith('x') ? 'y' : 'x');
}
