import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile({ ...schema['options'], definitions: schema['definitions'] });

const core = { type: 'mkimage', partlabel: 'gpt', filesystem: 'xfs' };
const prefix = { type: 'partition', partlabel: 'gpt', number: 2, path: '/grub2' };

describe('schema.json', () => {
  it("accepts upstream's shapes: partition and path prefixes, a binary, location and sector-size", () => {
    for (const good of [
      { filename: 'disk.img', platform: 'i386-pc', location: 2048, core, prefix },
      { filename: 'disk.img', platform: 'i386-pc', location: 1, core: { ...core, partlabel: 'dos', filesystem: 'ext4', binary: 'grub-mkimage' }, prefix: { ...prefix, partlabel: 'dos', number: 0 }, 'sector-size': 512 },
      { filename: 'efiboot.img', platform: 'i386-pc', core: { ...core, filesystem: 'iso9660' }, prefix: { path: '/boot/grub2' } },
      { filename: 'disk.img', platform: 'powerpc-ieee1275', location: 2048, core: { ...core, filesystem: 'btrfs' }, prefix },
    ]) {
      expect(options(good), JSON.stringify(options.errors)).toBe(true);
    }
  });

  it('refuses what upstream refuses', () => {
    const base = { filename: 'disk.img', platform: 'i386-pc', location: 2048, core, prefix };
    for (const bad of [
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
    ]) {
      expect(options(JSON.parse(JSON.stringify(bad))), JSON.stringify(bad)).toBe(false);
    }
  });
});
