import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);
const uuid = '9c6ae55b-cf88-45b8-84e8-64990759f39d';

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'root.img', root_fs_uuid: uuid, size: 1073741824 },
      ...['ext4', 'xfs', 'btrfs'].map((fs_type) => ({ filename: 'x', root_fs_uuid: uuid, size: 1, fs_type })),
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { filename: 'x', size: 1 },
      { filename: 'x', root_fs_uuid: uuid },
      { filename: 'x', root_fs_uuid: 'not-a-uuid', size: 1 },
      { filename: 'x', root_fs_uuid: uuid, size: '1G' },
      { filename: 'x', root_fs_uuid: uuid, size: 1, fs_type: 'vfat' },
    ]);
  });
});
