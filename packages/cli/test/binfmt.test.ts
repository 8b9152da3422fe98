// binfmt_misc registration for foreign architectures, on the real kernel
// interface: our entry has the F flag and goes away afterwards; an entry of a
// killed run is cleaned up; a missing qemu-user is a clear error.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerForeign, unregister } from '../src/foreign/binfmt.js';

const BINFMT = '/proc/sys/fs/binfmt_misc';
const usable = process.getuid?.() === 0 && process.arch === 'x64' && existsSync('/usr/bin/qemu-aarch64-static');

describe.skipIf(!usable)('binfmt_misc registration (root, x86_64, qemu-user-static)', () => {
  it('registers qemu-aarch64-static with F for arm64 and removes exactly its entry', () => {
    const r = registerForeign(['arm64', 'amd64'], (a) => `stage for ${a}`);
    try {
      const ours = r.made[0];
      if (ours === undefined) {
        // An F registration osbuild did not make handles aarch64 already: used, not touched.
        expect(r.notes.join('\n')).toMatch(/using the existing binfmt_misc entry/);
        return;
      }
      expect(ours).toBe(`osbuild-ts-${process.pid}-aarch64`);
      const entry = readFileSync(`${BINFMT}/${ours}`, 'utf8');
      expect(entry).toMatch(/^enabled$/m);
      expect(entry).toMatch(/^interpreter \/usr\/bin\/qemu-aarch64-static$/m);
      expect(entry).toMatch(/^flags: .*F/m);
      unregister(r);
      expect(existsSync(`${BINFMT}/${ours}`)).toBe(false);
    } finally {
      unregister(r);
    }
  });

  it("removes the entry of a run that was killed, never another live run's", () => {
    const orphan = 'osbuild-ts-999999999-aarch64';
    writeFileSync(`${BINFMT}/register`, `:${orphan}:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/bin/qemu-aarch64-static:F`);
    const r = registerForeign(['arm64'], () => 'stage');
    unregister(r);
    expect(existsSync(`${BINFMT}/${orphan}`)).toBe(false);
  });

  it('names the stage and the package when an architecture has no qemu mapping', () => {
    expect(() => registerForeign(['mips64el'], () => 'pipeline os, stage 1 (org.osbuild.debian.debootstrap)')).toThrow(
      /pipeline os, stage 1 \(org\.osbuild\.debian\.debootstrap\) builds for mips64el, which this amd64 machine cannot run/,
    );
  });

  it('does nothing for native architectures', () => {
    const r = registerForeign(['amd64', 'i386'], () => 'stage');
    expect(r).toEqual({ made: [], notes: [] });
  });
});
