import { describe, expect, it } from 'vitest';
import { dracutArguments } from '../src/dracut-arguments.js';

describe('dracutArguments', () => {
  it('defaults as upstream: forced, verbose, no early microcode, reproducible', () => {
    expect(dracutArguments({ kernel: ['6.1.0-1-amd64'] })).toEqual(['--force', '-v', '--show-modules', '--no-early-microcode', '--reproducible']);
  });

  it('passes every option in upstream\'s order and form', () => {
    expect(
      dracutArguments({
        kernel: ['k'],
        extra: ['--xz', '--nofscks'],
        install: ['/usr/bin/a', '/usr/bin/b'],
        remove: ['/usr/lib/x'],
        include: [{ '/etc/a': '/etc/b', '/etc/c': '/etc/d' }, { '/e': '/f' }],
        filesystems: ['ext4', 'xfs'],
        force_drivers: ['virtio_blk'],
        omit_drivers: ['nouveau'],
        add_drivers: ['loop', 'nbd'],
        drivers: ['sd_mod'],
        omit_modules: ['plymouth'],
        add_modules: ['lvm', 'crypt'],
        modules: ['base'],
        compress: 'zstd',
        reproducible: false,
        early_microcode: true,
      }),
    ).toEqual([
      '--force', '-v', '--show-modules', '--early-microcode', '--no-reproducible', '--compress=zstd',
      '--modules', 'base', '--add', 'lvm crypt', '--omit', 'plymouth',
      '--drivers', 'sd_mod', '--add-drivers', 'loop nbd', '--omit-drivers', 'nouveau', '--force-drivers', 'virtio_blk',
      '--filesystems', 'ext4 xfs',
      '--include', '/etc/a', '/etc/b', '--include', '/etc/c', '/etc/d', '--include', '/e', '/f',
      '--remove', '/usr/lib/x', '--install', '/usr/bin/a', '--install', '/usr/bin/b',
      '--xz', '--nofscks',
    ]);
  });

  it('leaves out empty lists and an empty compress, as upstream', () => {
    expect(dracutArguments({ kernel: ['k'], modules: [], add_modules: [], compress: '', include: [{}] })).toEqual(['--force', '-v', '--show-modules', '--no-early-microcode', '--reproducible']);
  });
});
