import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '../../src/errors.js';
import { hostRunner, hostRunnerName, parseOsRelease, parseRunnerName, resolveRunner, RUNNER_FILES } from '../../src/manifest/runners.js';

describe('runners (spec 1.6)', () => {
  it('ships upstream\'s 20 runner files', () => {
    expect(RUNNER_FILES).toHaveLength(20);
  });

  it.each([
    ['org.osbuild.fedora41', 'org.osbuild.fedora38'],
    ['org.osbuild.fedora38', 'org.osbuild.fedora38'],
    ['org.osbuild.fedora37', 'org.osbuild.fedora30'],
    ['org.osbuild.fedora29', undefined],
    ['org.osbuild.rhel90', 'org.osbuild.rhel82'],
    ['org.osbuild.rhel8', 'org.osbuild.rhel7'],
    ['org.osbuild.debian12', 'org.osbuild.debian'],
    ['org.osbuild.debian', 'org.osbuild.debian'],
    ['org.osbuild.ubuntu2204', 'org.osbuild.ubuntu1804'],
    ['org.osbuild.AutoSD9', 'org.osbuild.AutoSD9'],
    ['org.osbuild.autosd9', 'org.osbuild.autosd'],
    ['org.osbuild.arch', 'org.osbuild.arch'],
    ['org.osbuild.gentoo', undefined],
    ['org.osbuild.centos99999999999999999999999', 'org.osbuild.centos9'],
    ['', undefined],
  ])('%j resolves to %j', (requested, file) => {
    expect(resolveRunner(requested)).toBe(file);
  });

  it('splits trailing digits as the version, keeping the first character', () => {
    expect(parseRunnerName('org.osbuild.rhel82')).toEqual({ distro: 'org.osbuild.rhel', version: 82n });
    expect(parseRunnerName('org.osbuild.arch')).toEqual({ distro: 'org.osbuild.arch', version: 0n });
    expect(parseRunnerName('123')).toEqual({ distro: '1', version: 23n });
  });

  it('names the host runner after os-release ID and VERSION_ID without dots', () => {
    expect(hostRunnerName('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n')).toBe('org.osbuild.debian12');
    expect(hostRunnerName("ID='rhel'\nVERSION_ID=8.2\n")).toBe('org.osbuild.rhel82');
    expect(hostRunnerName('')).toBe('org.osbuild.linux');
    expect(hostRunner('ID=debian\nVERSION_ID="12"\n')).toBe('org.osbuild.debian');
    expect(hostRunner('ID=fedora\nVERSION_ID=41\n')).toBe('org.osbuild.fedora38');
    expect(hostRunner('')).toBe('org.osbuild.linux');
  });

  it('reads os-release like shlex, skipping lines upstream would reject', () => {
    const fields = parseOsRelease('# comment\nA="x y"\nB=\'q\'\nC=a\\ b\nD=\nE=two words\nnoequals\nF="say \\"hi\\""\nG=""\n');
    expect([...fields]).toEqual([
      ['A', 'x y'],
      ['B', 'q'],
      ['C', 'a b'],
      ['F', 'say "hi"'],
      ['G', ''],
    ]);
  });

  it('reports a host without a runner as a sandbox error', () => {
    try {
      hostRunner('ID=gentoo\n');
      expect.unreachable();
    } catch (error) {
      expect(isOsbuildError(error) && error.code).toBe('E_SANDBOX');
      expect((error as Error).message).toContain('org.osbuild.gentoo');
    }
  });

  it('reads this machine\'s os-release by default', () => {
    expect(RUNNER_FILES).toContain(hostRunner());
  });
});
