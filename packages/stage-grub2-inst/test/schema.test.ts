import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);
const core = { type: 'mkimage', partlabel: 'gpt', filesystem: 'xfs' };
const prefix = { type: 'partition', partlabel: 'gpt', number: 2, path: '/grub2' };

describe('schema.json', () => {
  it("accepts upstream's shapes: partition and path prefixes, a binary, location and sector-size", () => {
    schema.accepts('options', [
      { filename: 'disk.img', platform: 'i386-pc', location: 2048, core, prefix },
      { filename: 'disk.img', platform: 'i386-pc', location: 1, core: { ...core, partlabel: 'dos', filesystem: 'ext4', binary: 'grub-mkimage' }, prefix: { ...prefix, partlabel: 'dos', number: 0 }, 'sector-size': 512 },
      { filename: 'efiboot.img', platform: 'i386-pc', core: { ...core, filesystem: 'iso9660' }, prefix: { path: '/boot/grub2' } },
      { filename: 'disk.img', platform: 'powerpc-ieee1275', location: 2048, core: { ...core, filesystem: 'btrfs' }, prefix },
    ]);
  });

  it('refuses what upstream refuses', () => {
    const base = { filename: 'disk.img', platform: 'i386-pc', location: 2048, core, prefix };
    // Checked as manifest JSON: a member set to undefined is absent.
    schema.refuses('options', [
      { ...base, filename: undefined },
      { ...base, platform: undefined },
      { ...base, core: undefined },
      { ...base, prefix: undefined },
      { ...base, location: 1.5 },
      { ...base, core: { ...core, type: 'file' } },
      { ...base, core: { ...core, partlabel: 'mbr' } },
      { ...base, core: { ...core, filesystem: 'zfs' } },
      { ...base, core: { type: 'mkimage', partlabel: 'gpt' } },
      { ...base, prefix: { ...prefix, path: 'grub2' } },
      { ...base, prefix: { type: 'partition', partlabel: 'gpt', path: '/grub2' } },
      { ...base, prefix: { path: '/boot', number: 1 } },
      { ...base, extra: true },
    ]);
  });
});
