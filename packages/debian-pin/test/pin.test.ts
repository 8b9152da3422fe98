// Against the Debian mirror of the host's apt configuration (read at run time).
// The index is cached in the default cache directory between runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isOsbuildError } from '@osbuild-ts/core';
import { hostSource } from '../src/host-apt.js';
import { pinDocument } from '../src/manifest.js';
import { pin, type PinnedSet } from '../src/pin.js';
import type { Description } from '../src/description.js';

const pinOne = async (d: Description, update = false): Promise<PinnedSet> => (await pin(new Map([['set', d]]), { update })).get('set')!;
const names = (set: PinnedSet) => set.packages.map((p) => p.name);

describe('pin against the host mirror', () => {
  let mirror: string;
  let base: PinnedSet;
  beforeAll(async () => {
    mirror = (await hostSource('bookworm')).uri;
    // The one run that contacts the mirror; the others use the index it left.
    base = await pinOne({ suite: 'bookworm', variant: 'minbase', packages: ['systemd'] }, true);
  });

  it('minbase + systemd: every package pinned by SHA-256, with a URL on the host mirror', () => {
    expect(names(base)).toEqual(expect.arrayContaining(['systemd', 'apt', 'dpkg', 'libc6', 'base-files', 'bash', 'init-system-helpers']));
    expect(base.packages.length).toBeGreaterThan(80);
    expect(base.mirror).toBe(mirror);
    for (const p of base.packages) {
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(p.url.startsWith(`${mirror}pool/`)).toBe(true);
      expect(p.url.endsWith(`_${p.architecture}.deb`)).toBe(true);
      expect(p.size).toBeGreaterThan(0);
    }
    expect(names(base)).toEqual([...names(base)].sort());
    // The archive's priority, not the .deb's: apt's own control file says important.
    expect(base.packages.find((p) => p.name === 'apt')?.priority).toBe('required');
    const items = (pinDocument(new Map([['base', base]])) as { sources: Record<string, { items: Record<string, { url: string }> }> }).sources[
      'org.osbuild.curl'
    ]!.items;
    expect(Object.keys(items)).toHaveLength(base.packages.length);
    for (const [key, item] of Object.entries(items)) {
      expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(item.url.startsWith(mirror)).toBe(true);
    }
  });

  it('is deterministic: the same index gives the same pins', async () => {
    const again = await pinOne({ suite: 'bookworm', variant: 'minbase', packages: ['systemd'] });
    expect(JSON.stringify(again.packages)).toBe(JSON.stringify(base.packages));
  });

  it('variant none: the named packages and their dependencies only', async () => {
    const set = await pinOne({ suite: 'bookworm', variant: 'none', packages: ['hostname'] });
    expect(names(set)).toContain('hostname');
    expect(names(set)).toContain('libc6');
    expect(names(set)).not.toContain('dpkg');
    expect(set.packages.length).toBeLessThan(10);
  });

  it('variant essential: the Essential: yes set, without apt', async () => {
    const set = await pinOne({ suite: 'bookworm', variant: 'essential' });
    expect(names(set)).toEqual(expect.arrayContaining(['dpkg', 'base-files', 'bash', 'coreutils', 'libc6']));
    expect(names(set)).not.toContain('apt');
    expect(names(set)).not.toContain('systemd');
  });

  it('"on" another set pins only what that set lacks', async () => {
    const sets = await pin(
      new Map<string, Description>([
        ['extra', { suite: 'bookworm', packages: ['less', 'hostname'], on: 'base' }],
        ['base', { suite: 'bookworm', variant: 'minbase', packages: ['systemd'] }],
      ]),
      { update: false },
    );
    expect(names(sets.get('extra')!)).toEqual(['less']);
    expect(sets.get('base')!.packages).toEqual(base.packages);
  });

  it('an unknown package is an error naming it', async () => {
    const error = await pinOne({ suite: 'bookworm', variant: 'none', packages: ['systemd', 'no-such-package-osbuild-ts'] }).catch((e: unknown) => e);
    expect(isOsbuildError(error) && error.code).toBe('E_USAGE');
    expect((error as Error).message).toMatch(/^unknown package no-such-package-osbuild-ts: not in bookworm \(main, amd64\) at /);
  });

  it("a virtual package with several providers is apt's error, providers listed", async () => {
    const error = await pinOne({ suite: 'bookworm', variant: 'none', packages: ['awk'] }).catch((e: unknown) => e);
    expect(isOsbuildError(error) && error.code).toBe('E_USAGE');
    expect((error as Error).message).toContain('Package awk is a virtual package provided by:');
    expect((error as Error).message).toContain("E: Package 'awk' has no installation candidate");
  });

  it('--no-update without a cached index says so', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'pin-empty-'));
    try {
      const error = await pin(new Map([['x', { suite: 'bookworm' }]]), { cacheDir, update: false }).catch((e: unknown) => e);
      expect((error as Error).message).toContain('no cached index of bookworm');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
