import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts the options upstream accepts', () => {
    schema.accepts('options', [
      { product: { name: 'Fedora-IoT', version: '40' }, isolabel: 'Fedora-40', kernel: { dir: '/images/pxeboot', opts: ['inst.stage2=hd:LABEL=Fedora-40'] }, architectures: ['X64'], vendor: 'fedora' },
      {
        product: { name: 'Debian', version: '12' },
        isolabel: 'DEBIAN_LIVE',
        kernel: { dir: '/live' },
        architectures: ['X64', 'IA32'],
        vendor: 'debian',
        fips: true,
        troubleshooting: false,
        test: false,
        install: false,
        custom: [{ name: 'Live', linux: '/live/vmlinuz boot=live', initrd: '/live/initrd.img' }],
        config: { timeout: 1, default: 0 },
      },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { product: { name: 'A', version: '1' }, kernel: { dir: '/k' } },
      { product: { name: 'A', version: '1' }, isolabel: 'L', kernel: {} },
      { product: { name: 'A', version: '1' }, isolabel: 'L', kernel: { dir: '/k' }, config: { timeout: -1 } },
      { product: { name: 'A', version: '1' }, isolabel: 'L', kernel: { dir: '/k' }, custom: [{ name: 'x', linux: 'y' }] },
      { product: { name: 'A', version: '1' }, isolabel: 'L', kernel: { dir: '/k' }, grub2dir: '/boot' },
    ]);
  });
});
