import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    for (const good of [
      { filesystems: [] },
      {
        filesystems: [
          { uuid: 'u', path: '/', vfs_type: 'ext4', options: 'defaults', freq: 1, passno: 1 },
          { device: '/dev/sda1', path: 'none' },
        ],
      },
      { filesystems: [{ label: 'l', path: '/' }], ostree: { deployment: { osname: 'fedora', ref: 'fedora/iot', serial: 0 } } },
      { filesystems: [{ partlabel: 'p', path: '/' }], ostree: { deployment: { default: true } } },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
      {},
      { filesystems: [{ path: '/' }] },
      { filesystems: [{ uuid: 'u' }] },
      { filesystems: [{ uuid: 'u', label: 'l', path: '/' }] },
      { filesystems: [{ uuid: 'u', path: '/', freq: '1' }] },
      { filesystems: [], ostree: { deployment: { osname: 'fedora' } } },
      { filesystems: [], ostree: { deployment: { default: true, osname: 'fedora' } } },
      { filesystems: [], ostree: {} },
      { filesystems: [], extra: 1 },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
