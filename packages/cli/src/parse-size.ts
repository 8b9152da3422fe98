import { OsbuildError } from '@osbuild-ts/core';

const UNITS: Record<string, bigint> = {
  '': 1n,
  kB: 1000n,
  KiB: 1024n,
  MB: 1000n ** 2n,
  MiB: 1024n ** 2n,
  GB: 1000n ** 3n,
  GiB: 1024n ** 3n,
  TB: 1000n ** 4n,
  TiB: 1024n ** 4n,
};

/** `--cache-max-size`: digits with an optional unit, or `unlimited` (as osbuild). */
export function parseSize(text: string): bigint | 'unlimited' {
  if (text === 'unlimited') return 'unlimited';
  const match = /^\s*(\d+)\s*(kB|KiB|MB|MiB|GB|GiB|TB|TiB)?$/.exec(text);
  if (!match) {
    throw new OsbuildError('E_USAGE', `argument --cache-max-size: invalid size value: '${text}'`, {
      hint: 'write a number of bytes, optionally with kB, KiB, MB, MiB, GB, GiB, TB or TiB, or "unlimited"',
    });
  }
  return BigInt(match[1]!) * UNITS[match[2] ?? '']!;
}
