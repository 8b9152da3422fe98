import { describe, expect, it } from 'vitest';
import { grubPrefix } from '../src/prefix.js';
import { checkOptions } from '../src/options.js';

describe('grubPrefix', () => {
  it("names the partition as grub does, counting from 1 where upstream's number counts from 0", () => {
    expect(grubPrefix({ type: 'partition', partlabel: 'gpt', number: 2, path: '/grub2' })).toBe('(,gpt3)/grub2');
    expect(grubPrefix({ type: 'partition', partlabel: 'dos', number: 0, path: '/boot/grub' })).toBe('(,msdos1)/boot/grub');
    expect(grubPrefix({ type: 'partition', partlabel: 'gpt', number: 1, path: '//boot//grub2' })).toBe('(,gpt2)/boot//grub2');
  });

  it('takes a path prefix as it stands', () => {
    expect(grubPrefix({ path: '/boot/grub2' })).toBe('/boot/grub2');
  });
});

describe('checkOptions', () => {
  const base = { filename: 'disk.img', platform: 'i386-pc', core: { type: 'mkimage' as const, partlabel: 'gpt' as const, filesystem: 'ext4' }, prefix: { path: '/boot' } };
  it('refuses sector sizes and partition numbers that are not whole', () => {
    expect(() => checkOptions({ ...base, 'sector-size': 1000 })).toThrow('sector-size 1000: must be a multiple of 512 bytes');
    expect(() => checkOptions({ ...base, prefix: { type: 'partition', partlabel: 'gpt', number: 1.5, path: '/' } })).toThrow('prefix.number 1.5: must be a partition number counting from 0');
    expect(() => checkOptions({ ...base, 'sector-size': 4096, location: 1 })).not.toThrow();
  });
});
