import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runSourceLocally } from '@osbuild-ts/source-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const sum = (algorithm: string, data: Buffer | string) => `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;

function decode(items: Record<string, unknown>) {
  const cache = mkdtempSync(join(tmpdir(), 'inline-cache-'));
  onTestFinished(() => rmSync(cache, { recursive: true, force: true }));
  return runSourceLocally({ entry, items, cache, offline: true });
}

describe('org.osbuild.inline', () => {
  it('decodes base64 and lzma+base64 (.lzma and .xz streams) into the cache, offline too', async () => {
    const text = 'Hello, osbuild!\n'.repeat(64);
    const binary = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    const lzma = execFileSync('xz', ['--format=lzma', '-c'], { input: text }).toString('base64');
    const xz = execFileSync('xz', ['--format=xz', '-c'], { input: binary }).toString('base64');
    const items = {
      [sum('sha256', text)]: { encoding: 'lzma+base64', data: lzma },
      [sum('sha512', binary)]: { encoding: 'lzma+base64', data: xz },
      [sum('md5', binary)]: { encoding: 'base64', data: binary.toString('base64') },
    };
    const run = await decode(items);
    expect(run.exitCode).toBe(0);
    expect([...run.items.values()].every((m) => m.success && !m.cached)).toBe(true);
    expect(readFileSync(join(run.cache, sum('sha256', text)), 'utf8')).toBe(text);
    expect(readFileSync(join(run.cache, sum('sha512', binary)))).toEqual(binary);
    expect(readFileSync(join(run.cache, sum('md5', binary)))).toEqual(binary);
  });

  it('rejects data that does not decode to its checksum, and data that does not decode', async () => {
    const run = await decode({
      [sum('sha256', 'expected')]: { encoding: 'base64', data: Buffer.from('something else').toString('base64') },
      [sum('sha256', 'broken')]: { encoding: 'lzma+base64', data: Buffer.from('not lzma at all').toString('base64') },
      [sum('sha256', 'odd')]: { encoding: 'rot13', data: '' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.items.get(sum('sha256', 'expected'))).toMatchObject({
      success: false,
      reason: 'verify',
      actual: sum('sha256', 'something else'),
      error: `checksum mismatch: the base64 data decodes to ${sum('sha256', 'something else')}, expected ${sum('sha256', 'expected')}`,
    });
    expect(run.items.get(sum('sha256', 'broken'))).toMatchObject({ success: false, error: expect.stringContaining('lzma data does not decompress') });
    expect(run.items.get(sum('sha256', 'odd'))).toMatchObject({ success: false, error: expect.stringContaining('unknown encoding "rot13"') });
    expect(readdirSync(run.cache).filter((n) => !n.startsWith('.tmp-'))).toEqual([]);
  });
});
