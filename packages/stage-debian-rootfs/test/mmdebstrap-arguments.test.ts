import { describe, expect, it } from 'vitest';
import type { LocalRepo } from '@osbuild-ts/debian-pin/local-repo';
import { mmdebstrapArguments } from '../src/mmdebstrap-arguments.js';

const repo: LocalRepo = {
  dir: '/tmp/r',
  sourcesLine: 'deb [trusted=yes] copy:///tmp/r ./',
  packages: ['dpkg', 'bash', 'apt'].map((name) => ({ name, version: '1', architecture: 'amd64', essential: name !== 'apt', checksum: `sha256:${name}` })),
};

describe('mmdebstrapArguments', () => {
  it('includes every package of the input by default, sorted', () => {
    expect(mmdebstrapArguments({ suite: 'bookworm' }, repo, 'amd64', '/run/osbuild/tree')).toEqual([
      '--mode=root',
      '--variant=minbase',
      '--architectures=amd64',
      '--include=apt,bash,dpkg',
      '--skip=check/signed-by',
      'bookworm',
      '/run/osbuild/tree',
      'deb [trusted=yes] copy:///tmp/r ./',
    ]);
  });

  it('includes only the named packages when given, and none for an empty list', () => {
    expect(mmdebstrapArguments({ suite: 's', variant: 'essential', packages: ['apt'] }, repo, 'arm64', '/t')).toContain('--include=apt');
    const none = mmdebstrapArguments({ suite: 's', variant: 'essential', packages: [] }, repo, 'amd64', '/t');
    expect(none.some((a) => a.startsWith('--include'))).toBe(false);
    expect(none).toContain('--variant=essential');
  });

  it('names every package the input lacks', () => {
    expect(() => mmdebstrapArguments({ suite: 's', packages: ['vim', 'apt', 'emacs'] }, repo, 'amd64', '/t')).toThrow('not in the input: vim, emacs');
  });
});
