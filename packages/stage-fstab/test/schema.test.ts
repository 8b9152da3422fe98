import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { filesystems: [] },
      {
        filesystems: [
          { uuid: 'u', path: '/', vfs_type: 'ext4', options: 'defaults', freq: 1, passno: 1 },
          { device: '/dev/sda1', path: 'none' },
        ],
      },
      { filesystems: [{ label: 'l', path: '/' }], ostree: { deployment: { osname: 'fedora', ref: 'fedora/iot', serial: 0 } } },
      { filesystems: [{ partlabel: 'p', path: '/' }], ostree: { deployment: { default: true } } },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { filesystems: [{ path: '/' }] },
      { filesystems: [{ uuid: 'u' }] },
      { filesystems: [{ uuid: 'u', label: 'l', path: '/' }] },
      { filesystems: [{ uuid: 'u', path: '/', freq: '1' }] },
      { filesystems: [], ostree: { deployment: { osname: 'fedora' } } },
      { filesystems: [], ostree: { deployment: { default: true, osname: 'fedora' } } },
      { filesystems: [], ostree: {} },
      { filesystems: [], extra: 1 },
    ]);
  });
});
