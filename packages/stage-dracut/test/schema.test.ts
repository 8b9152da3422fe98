import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { kernel: [] },
      { kernel: ['5.6.6-300.fc32.x86_64'] },
      {
        kernel: ['a', 'b'],
        compress: 'xz',
        modules: ['base'],
        add_modules: ['lvm'],
        omit_modules: ['plymouth'],
        drivers: ['sd_mod'],
        add_drivers: ['loop'],
        omit_drivers: ['nouveau'],
        force_drivers: ['virtio_blk'],
        filesystems: ['ext4'],
        include: [{ '/etc/a': '/etc/b' }, {}],
        install: ['/usr/bin/true'],
        remove: ['/usr/lib/x'],
        early_microcode: true,
        reproducible: false,
        initoverlayfs: false,
        extra: ['--xz'],
      },
      // Upstream's schema does not close the options: unknown ones validate (and are ignored).
      { kernel: ['k'], hostonly: true },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { kernel: 'k' },
      { kernel: [1] },
      { kernel: ['k'], compress: true },
      { kernel: ['k'], modules: 'base' },
      { kernel: ['k'], add_modules: [1] },
      { kernel: ['k'], omit_drivers: 'x' },
      { kernel: ['k'], include: ['/etc/a'] },
      { kernel: ['k'], include: { '/etc/a': '/etc/b' } },
      { kernel: ['k'], install: [true] },
      { kernel: ['k'], remove: '/x' },
      { kernel: ['k'], early_microcode: 'yes' },
      { kernel: ['k'], reproducible: 1 },
      { kernel: ['k'], initoverlayfs: null },
      { kernel: ['k'], extra: '--xz' },
    ]);
  });
});
