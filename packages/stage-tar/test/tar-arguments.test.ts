import { describe, expect, it } from 'vitest';
import { tarArguments } from '../src/tar-arguments.js';

describe('tarArguments', () => {
  it('defaults to gnu, ACLs, SELinux, all xattrs and compression by suffix', () => {
    expect(tarArguments({ filename: 'x.tar' }, '/tree/x.tar', '/in', ['.'])).toEqual([
      '--format=gnu',
      '--acls',
      '--selinux',
      '--xattrs',
      '--xattrs-include',
      '*',
      '--auto-compress',
      '--sort=name',
      '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
      '-cf',
      '/tree/x.tar',
      '-C',
      '/in',
      '.',
    ]);
  });

  it('maps every option in upstream\'s order', () => {
    const options = {
      filename: 'x',
      format: 'ustar',
      compression: 'zstd',
      acls: false,
      selinux: false,
      xattrs: false,
      sparse: true,
      transform: 's,^,root/,',
      'numeric-owner': true,
    } as const;
    expect(tarArguments(options, '/tree/x', '/in', ['--', 'a', 'b'])).toEqual([
      '--format=ustar',
      '--sparse',
      '--transform',
      's,^,root/,',
      '--numeric-owner',
      '--zstd',
      // A plain ustar archive has no pax headers, and tar refuses --pax-option for it.
      '--sort=name',
      '-cf',
      '/tree/x',
      '-C',
      '/in',
      '--',
      'a',
      'b',
    ]);
  });

  it('passes xz and gzip as tar\'s own options, and skips an empty transform', () => {
    expect(tarArguments({ filename: 'x', compression: 'xz', transform: '' }, 'o', 'i', ['.'])).toContain('--xz');
    expect(tarArguments({ filename: 'x', compression: 'xz', transform: '' }, 'o', 'i', ['.'])).not.toContain('--transform');
    expect(tarArguments({ filename: 'x', compression: 'gzip' }, 'o', 'i', ['.'])).toContain('--gzip');
  });

  it('clamps mtimes to the source epoch when there is one', () => {
    const args = tarArguments({ filename: 'x.tar' }, '/tree/x.tar', '/in', ['.'], 1700000000);
    expect(args.slice(args.indexOf('--sort=name'), args.indexOf('-cf'))).toEqual([
      '--sort=name',
      '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
      '--mtime=@1700000000',
      '--clamp-mtime',
    ]);
  });
});
