import { describe, expect, it } from 'vitest';
import { fstabText } from '../src/fstab-text.js';

describe('fstabText', () => {
  it('names each filesystem by the first of uuid, label, partlabel, device, with the defaults', () => {
    expect(
      fstabText([
        { path: '/', uuid: 'u', label: 'ignored' },
        { path: '/a', label: 'l' },
        { path: '/b', partlabel: 'p' },
        { path: '/c', device: '/dev/x' },
        { path: '/d', uuid: '', device: '/dev/y' },
      ]),
    ).toBe(
      'UUID=u\t/\tnone\tdefaults\t0\t0\n' +
        'LABEL=l\t/a\tnone\tdefaults\t0\t0\n' +
        'PARTLABEL=p\t/b\tnone\tdefaults\t0\t0\n' +
        '/dev/x\t/c\tnone\tdefaults\t0\t0\n' +
        '/dev/y\t/d\tnone\tdefaults\t0\t0\n',
    );
  });

  it('writes the given type, options, freq and passno', () => {
    expect(fstabText([{ path: '/', uuid: 'u', vfs_type: 'xfs', options: 'ro,noatime', freq: 1, passno: 2 }])).toBe('UUID=u\t/\txfs\tro,noatime\t1\t2\n');
  });
});
