import { describe, expect, it } from 'vitest';
import { mksquashfsArguments } from '../src/mksquashfs-arguments.js';

describe('mksquashfsArguments', () => {
  it('is upstream order, with what makes the bytes depend on the tree alone', () => {
    expect(mksquashfsArguments({ filename: 'x' }, '/in', '/out/x', null)).toEqual(['/in', '/out/x', '-noappend', '-reproducible', '-no-progress']);
    expect(mksquashfsArguments({ filename: 'x' }, '/in', '/out/x', 1700000000)).toEqual([
      '/in', '/out/x', '-noappend', '-reproducible', '-no-progress', '-mkfs-time', '1700000000', '-all-time', '1700000000',
    ]);
  });

  it('passes the compressor and its options, and the excludes last', () => {
    expect(
      mksquashfsArguments({ filename: 'x', compression: { method: 'xz', options: { bcj: 'x86' } }, exclude_paths: ['^boot/', 'tmp'] }, '/in', '/o', null),
    ).toEqual(['/in', '/o', '-noappend', '-reproducible', '-no-progress', '-comp', 'xz', '-Xbcj', 'x86', '-regex', '-e', '^boot/', 'tmp']);
  });

  it('says which option is wrong when a BCJ filter comes with another compressor', () => {
    expect(() => mksquashfsArguments({ filename: 'x', compression: { method: 'zstd', options: { bcj: 'x86' } } }, '/in', '/o', null)).toThrow(
      /compression\.options\.bcj: .*xz only, not with zstd/,
    );
  });
});
