import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      {},
      { root_fs_uuid: '76a22bf4-f153-4541-b6c7-0332c0dfaeac', kernel_opts: 'net.ifnames=0 crashkernel=auto' },
      { root_fs_uuid: '6699-AFB5' },
      { kernel_opts: '' },
      { kernel_cmdline_size: 256 },
      { kernel_cmdline_size: 4096 },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { root_fs_uuid: 'not-a-uuid' },
      { root_fs_uuid: '76a22bf4f1534541b6c70332c0dfaeac' },
      { root_fs_uuid: 1 },
      { kernel_opts: ['quiet'] },
      { kernel_cmdline_size: 255 },
      { kernel_cmdline_size: 4097 },
      { kernel_cmdline_size: 1024.5 },
      { kernel_cmdline_size: '1024' },
      { kernel_opts: 'quiet', extra: true },
    ]);
  });
});
