import { describe, expect, it } from 'vitest';
import { nodeLaunch, parseLdd } from '../src/node-binds.js';

describe('parseLdd', () => {
  it('reads libraries and the loader', () => {
    const out = parseLdd(`\tlinux-vdso.so.1 (0x00007ffd)
\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f1d)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1e)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f1f)
`);
    expect(out).toEqual({
      interpreter: '/lib64/ld-linux-x86-64.so.2',
      libraries: [
        { name: 'libstdc++.so.6', path: '/lib/x86_64-linux-gnu/libstdc++.so.6' },
        { name: 'libc.so.6', path: '/lib/x86_64-linux-gnu/libc.so.6' },
      ],
    });
    expect(parseLdd('\tstatically linked\n')).toEqual({ interpreter: null, libraries: [] });
    expect(() => parseLdd('\tlibfoo.so.1 => not found\n')).toThrowError(/libfoo/);
  });
});

describe('nodeLaunch', () => {
  it("uses the host's Node directly when the sandbox has the host's /usr", async () => {
    const launch = await nodeLaunch(null);
    if (process.execPath.startsWith('/usr/')) expect(launch).toEqual({ binds: [], argv: [expect.stringMatching(/^\/usr\//)] });
  });

  it('binds Node with its libraries and starts it through the bound loader for a build root', async () => {
    const launch = await nodeLaunch('/some/root');
    expect(launch.argv).toEqual([expect.stringMatching(/^\/run\/osbuild\/node\/lib\/ld-/), '--library-path', '/run/osbuild/node/lib', '/run/osbuild/node/bin/node']);
    expect(launch.binds.map((bind) => bind.dest)).toContain('/run/osbuild/node/lib/libc.so.6');
    expect(launch.binds.every((bind) => bind.kind === 'ro' && bind.dest.startsWith('/run/osbuild/node/'))).toBe(true);
  });
});
