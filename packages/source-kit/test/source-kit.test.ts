import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as kit from '../src/index.js';
import { commitToCache, forEachLimited, parseChecksum, verifyFile } from '../src/index.js';
import { runSourceLocally } from '../src/testing.js';

const sha256 = (data: string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'source-kit-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('@osbuild-ts/source-kit', () => {
  it('exports exactly its API', () => {
    expect(Object.keys(kit).sort()).toEqual(
      ['CHECKSUM_ALGORITHMS', 'SOURCE_API_VERSION', 'checksumParts', 'commitToCache', 'createChecksumHash', 'createLimiter', 'digestChecksum', 'forEachLimited', 'hashFile', 'parseChecksum', 'runSource', 'verifyFile'].sort(),
    );
  });

  it('parses checksums strictly', () => {
    expect(parseChecksum(sha256('x'))).toEqual({ algorithm: 'sha256', hex: sha256('x').slice(7) });
    expect(parseChecksum(`md5:${'0'.repeat(32)}`)).toEqual({ algorithm: 'md5', hex: '0'.repeat(32) });
    expect(parseChecksum(`sha256:${'A'.repeat(64)}`)).toHaveProperty('error');
    expect(parseChecksum(`sha256:${'0'.repeat(63)}`)).toEqual({ error: expect.stringContaining('sha256 has 64 lower-case hex digits') });
    expect(parseChecksum(`crc32:${'0'.repeat(8)}`)).toHaveProperty('error');
    expect(parseChecksum(`../sha256:${'0'.repeat(64)}`)).toHaveProperty('error');
  });

  it('verifies a file against its checksum', async () => {
    const file = join(tempDir(), 'f');
    writeFileSync(file, 'content');
    expect(await verifyFile(file, sha256('content'))).toEqual({ ok: true, expected: sha256('content'), actual: sha256('content') });
    expect(await verifyFile(file, sha256('other'))).toEqual({ ok: false, expected: sha256('other'), actual: sha256('content') });
  });

  it('commits by link: an item already in the cache wins', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a'), 'first');
    expect(await commitToCache(join(dir, 'a'), dir, sha256('x'))).toEqual({ path: join(dir, sha256('x')), cached: false });
    writeFileSync(join(dir, 'b'), 'second');
    expect(await commitToCache(join(dir, 'b'), dir, sha256('x'))).toEqual({ path: join(dir, sha256('x')), cached: true });
    expect(readFileSync(join(dir, sha256('x')), 'utf8')).toBe('first');
    expect(existsSync(join(dir, 'a')) || existsSync(join(dir, 'b'))).toBe(false);
  });

  it('bounds concurrency', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([...Array(20).keys()], 3, async (n) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('speaks the protocol: JSON lines, log lines, unreported items fail, exit status', async () => {
    const entry = join(import.meta.dirname, 'fixtures', 'echo-source.mjs');
    const ok = await runSourceLocally({ entry, items: { [sha256('a')]: 'ok' } });
    onTestFinished(() => rmSync(ok.cache, { recursive: true, force: true }));
    expect(ok.exitCode).toBe(0);
    expect(ok.messages).toEqual([
      { type: 'progress', checksum: sha256('a'), bytes: 2, total: 2 },
      { type: 'item', checksum: sha256('a'), success: true, cached: false },
    ]);
    expect(ok.log).toEqual([' {"looks": "like json, but is a log line"}']);

    const bad = await runSourceLocally({ entry, items: { [sha256('b')]: 'fail', [sha256('c')]: 'silent' } });
    onTestFinished(() => rmSync(bad.cache, { recursive: true, force: true }));
    expect(bad.exitCode).toBe(1);
    expect(bad.items.get(sha256('b'))).toMatchObject({ success: false, error: 'no luck' });
    expect(bad.items.get(sha256('c'))).toMatchObject({ success: false, error: 'the source did not report this item' });

    const broken = await runSourceLocally({ entry, items: { [sha256('d')]: 'throw' } });
    onTestFinished(() => rmSync(broken.cache, { recursive: true, force: true }));
    expect(broken.exitCode).toBe(1);
    expect(broken.messages).toEqual([{ type: 'error', message: 'the whole source broke' }]);
  });
});
