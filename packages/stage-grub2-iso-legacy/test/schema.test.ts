import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts the options upstream accepts', () => {
    schema.accepts('options', [
      { product: { name: 'Fedora', version: '40' }, isolabel: 'F40', kernel: { dir: '/images/pxeboot', opts: ['a'] } },
      { product: { name: 'Fedora', version: '40' }, isolabel: 'F40', kernel: { dir: '/images/pxeboot' }, grub2dir: 'boot/grub2', platform: 'powerpc-ieee1275', fips: true, config: { timeout: 5 } },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { product: { name: 'A', version: '1' }, isolabel: 'L', kernel: { dir: '/k' }, platform: 'x86_64-efi' },
      { product: { name: 'A', version: '1' }, isolabel: 'L', kernel: { dir: '/k' }, architectures: ['X64'] },
      { product: { name: 'A', version: '1' }, kernel: { dir: '/k' } },
    ]);
  });
});
