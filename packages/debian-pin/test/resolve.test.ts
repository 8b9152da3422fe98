import { describe, expect, it } from 'vitest';
import { parseSimulation } from '../src/resolve.js';

describe('parseSimulation', () => {
  it('reads the Inst lines of apt-get -s, in order, and nothing else', () => {
    const text = [
      'Reading package lists...',
      'Inst gcc-12-base (12.2.0-14+deb12u1 Debian:12.15/oldstable [amd64])',
      'Inst libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [amd64]) []',
      'Inst base-files [12.4+deb12u1] (12.4+deb12u15 Debian:12.15/oldstable [amd64])',
      'Inst libfoo:amd64 (1:2.0-1 local [amd64])',
      'Conf libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [amd64])',
    ].join('\n');
    expect(parseSimulation(text)).toEqual([
      { name: 'gcc-12-base', version: '12.2.0-14+deb12u1' },
      { name: 'libc6', version: '2.36-9+deb12u14' },
      { name: 'base-files', version: '12.4+deb12u15' },
      { name: 'libfoo', version: '1:2.0-1' },
    ]);
  });
});
