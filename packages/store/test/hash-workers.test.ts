/**
 * Layers of many files are hashed in worker threads (src/hash-workers.ts):
 * the digests must be the ones the in-process way gives, every size and form
 * alike, and a file that cannot be read must be named.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFiles, scanLayersWithFind } from '../src/seal.js';
import { WORKER_MIN_FILES } from '../src/hash-workers.js';
import { scratchDir } from './helpers.js';

const scratch = scratchDir('hash-workers');

function layerOfManyFiles(): string {
  const dir = scratch.fresh('layer');
  for (let i = 0; i < WORKER_MIN_FILES + 100; i++) {
    const sub = join(dir, `d${i % 7}`);
    mkdirSync(sub, { recursive: true });
    // Sizes around the 1 MiB read buffer, empty files, and small ones.
    const size = [0, 1, 4095, 2 ** 20 - 1, 2 ** 20, 2 ** 20 + 1][i % 6]! + (i % 6 === 0 ? 0 : i % 3);
    writeFileSync(join(sub, `f${i}`), Buffer.alloc(size, i % 251));
  }
  // A large sparse file: recorded by blocks, hashed by the in-process way.
  writeFileSync(join(dir, 'disk.raw'), 'head');
  truncateSync(join(dir, 'disk.raw'), 64 * 2 ** 20);
  return dir;
}

describe('hashing many files in worker threads', () => {
  it('gives every file the digest the in-process way gives', async () => {
    const dir = layerOfManyFiles();
    const entries = (await scanLayersWithFind([dir])).get(dir)!;
    const files = entries.filter((e) => e.type === 'f');
    expect(files.length).toBeGreaterThanOrEqual(WORKER_MIN_FILES);
    const many = await hashFiles(dir, entries);
    // Below the threshold every file goes the in-process way: the same digests, file by file.
    const inProcess = new Map<string, string>();
    for (let i = 0; i < files.length; i += 100) for (const [path, digest] of await hashFiles(dir, files.slice(i, i + 100))) inProcess.set(path, digest);
    expect(many).toEqual(inProcess);
    expect(many.size).toBe(files.length);
    for (const e of files.filter((f) => f.path !== 'disk.raw').slice(0, 50)) {
      expect(many.get(e.path)).toBe(createHash('sha256').update(readFileSync(join(dir, e.path))).digest('hex'));
    }
    expect(many.get('disk.raw')).toMatch(/^blocks:/);
  });

  it('names a file that cannot be read', async () => {
    const dir = layerOfManyFiles();
    const entries = (await scanLayersWithFind([dir])).get(dir)!;
    rmSync(join(dir, 'd3', 'f3'));
    await expect(hashFiles(dir, entries)).rejects.toThrow(/reading \/d3\/f3 of .* failed \(ENOENT\)/);
  });
});
