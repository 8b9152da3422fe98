import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hostSource, signedByOf } from '../src/host-apt.js';

function testdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pin-host-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('host apt configuration', () => {
  it('reads Signed-By from a deb822 entry by paragraph, and from a one-line entry by line', () => {
    const dir = testdir();
    const sources = join(dir, 'x.sources');
    writeFileSync(sources, 'Types: deb\nURIs: http://a.invalid/debian\n# note\nSuites: s\nSigned-By: /k1.gpg\n\nTypes: deb\nURIs: http://b.invalid/x\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n');
    expect(signedByOf(`${sources}:1`)).toBe('/k1.gpg');
    expect(signedByOf(`${sources}:2`)).toBe('-----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc');
    const list = join(dir, 'x.list');
    writeFileSync(list, '# c\ndeb [arch=amd64 signed-by=/k2.gpg] http://a.invalid/debian s main\ndeb http://b.invalid s main\n');
    expect(signedByOf(`${list}:2`)).toBe('/k2.gpg');
    expect(signedByOf(`${list}:3`)).toBeUndefined();
    expect(signedByOf(`${dir}/missing.list:1`)).toBeUndefined();
  });

  it("finds the host's archive for bookworm in its apt configuration", async () => {
    const source = await hostSource('bookworm');
    expect(source.uri).toMatch(/^[a-z]+:\/\/.+\/$/);
    expect(source.entry).toMatch(/^\/etc\/apt\/sources\.list(\.d\/.*)?:\d+$/);
  });
});
