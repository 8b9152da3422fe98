import { describe, expect, it } from 'vitest';
import { bwrapArgs, stageEnvironment, type BwrapLayout } from '../src/bwrap-args.js';

const layout: BwrapLayout = {
  capabilities: ['CAP_CHOWN', 'CAP_SYS_ADMIN'],
  usr: '/root/usr',
  boot: '/root/boot',
  rootTryBinds: [{ source: '/root/etc/containers', dest: '/etc/containers' }],
  dev: '/b/slot/dev',
  devNodes: ['/dev/null', '/dev/zero'],
  var: '/b/var/0',
  cmdline: '/b/cmdline',
  binds: [{ kind: 'ro', source: '/p/plugin', dest: '/p/plugin' }],
  symlinks: [{ target: '/p/store/dep', link: '/p/plugin/node_modules/dep' }],
  stageBinds: [{ kind: 'rw', source: '/b/slot/tree', dest: '/run/osbuild/tree' }],
  infoFd: 4,
  command: ['/usr/bin/node', '/run/osbuild/runner/node-runner.mjs', '/p/plugin/main.js'],
};

describe('bwrapArgs', () => {
  const args = bwrapArgs(layout);
  const pairs = (flag: string) => args.flatMap((arg, i) => (arg === flag ? [args[i + 1]] : []));

  it('unshares everything but the user namespace and dies with its parent', () => {
    expect(args.slice(0, 10)).toEqual([
      '--chdir', '/', '--die-with-parent', '--new-session',
      '--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--cap-drop', 'ALL',
    ]);
    expect(args).not.toContain('--unshare-user');
    expect(args).not.toContain('--share-net');
  });

  it('drops all capabilities, then adds the given ones', () => {
    expect(pairs('--cap-add')).toEqual(['CAP_CHOWN', 'CAP_SYS_ADMIN']);
    expect(args.indexOf('--cap-drop')).toBeLessThan(args.indexOf('--cap-add'));
  });

  it('builds the root in spec order: /boot, /usr, links, /dev, scratch, API file systems', () => {
    const at = (...seq: string[]) => args.findIndex((_, i) => seq.every((part, j) => args[i + j] === part));
    const order = [
      at('--ro-bind', '/root/boot', '/boot'), at('--ro-bind', '/root/usr', '/usr'), at('--symlink', 'usr/lib', '/lib'),
      at('--dev-bind', '/b/slot/dev', '/dev'), at('--dev-bind', '/dev/null', '/dev/null'), at('--tmpfs', '/dev/shm'),
      at('--dir', '/etc'), at('--tmpfs', '/run'), at('--tmpfs', '/tmp'), at('--bind', '/b/var/0', '/var'), at('--proc', '/proc'),
      at('--ro-bind', '/sys', '/sys'), at('--ro-bind-try', '/root/etc/containers', '/etc/containers'), at('--ro-bind', '/b/cmdline', '/proc/cmdline'),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('binds plugin code and stage mounts after the tmpfs mounts, then runs the command', () => {
    expect(args.indexOf('/p/plugin')).toBeGreaterThan(args.lastIndexOf('--tmpfs'));
    expect(args.indexOf('/run/osbuild/tree')).toBeGreaterThan(args.indexOf('/p/plugin'));
    expect(args.slice(args.indexOf('--'))).toEqual(['--', ...layout.command]);
    expect(pairs('--info-fd')).toEqual(['4']);
  });

  it('leaves /boot out when there is none', () => {
    expect(bwrapArgs({ ...layout, boot: null })).not.toContain('/boot');
  });
});

describe('stageEnvironment', () => {
  it('is exactly the spec environment plus additions', () => {
    expect(stageEnvironment({ SOURCE_DATE_EPOCH: '1' }, {})).toEqual({
      container: 'bwrap-osbuild',
      LC_CTYPE: 'C.UTF-8',
      PATH: '/usr/sbin:/usr/bin',
      PYTHONPATH: '/run/osbuild/lib',
      PYTHONUNBUFFERED: '1',
      TERM: 'dumb',
      SOURCE_DATE_EPOCH: '1',
    });
    expect(stageEnvironment({}, { TERM: 'xterm', HOME: '/root', NODE_OPTIONS: '--x' })).toEqual(expect.objectContaining({ TERM: 'xterm' }));
    expect(Object.keys(stageEnvironment({}, { HOME: '/root', NODE_OPTIONS: '--x' }))).not.toContain('NODE_OPTIONS');
  });
});

describe('sandbox tmpfs size (issue #24)', () => {
  it('caps /dev/shm, /run and /tmp only when asked', async () => {
    const { sandboxTmpfsSize } = await import('../src/bwrap-args.js');
    expect(bwrapArgs(layout)).not.toContain('--size');
    const capped = bwrapArgs({ ...layout, tmpfsSize: 32 << 20 });
    const sized = capped.flatMap((arg, i) => (arg === '--size' ? [[capped[i + 1], capped[i + 2], capped[i + 3]].join(' ')] : []));
    expect(sized).toEqual(['33554432 --tmpfs /dev/shm', '33554432 --tmpfs /run', '33554432 --tmpfs /tmp']);
    expect(sandboxTmpfsSize({})).toBeNull();
    expect(sandboxTmpfsSize({ OSBUILD_TS_SANDBOX_TMPFS_SIZE: '512M' })).toBe(512 * 2 ** 20);
    expect(sandboxTmpfsSize({ OSBUILD_TS_SANDBOX_TMPFS_SIZE: '2g' })).toBe(2 * 2 ** 30);
    expect(sandboxTmpfsSize({ OSBUILD_TS_SANDBOX_TMPFS_SIZE: '4096' })).toBe(4096);
    for (const bad of ['0', 'lots', '1T', '-5M']) expect(() => sandboxTmpfsSize({ OSBUILD_TS_SANDBOX_TMPFS_SIZE: bad })).toThrow(/expected a size in bytes/);
  });
});
