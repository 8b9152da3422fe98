import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);
const FC = 'etc/selinux/targeted/contexts/files/file_contexts';

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { file_contexts: FC },
      { file_contexts: `tree:///${FC}` },
      { file_contexts: 'input://tree/etc/selinux/targeted/contexts/files/file_contexts' },
      { labels: { '/usr/bin/cp': 'system_u:object_r:install_exec_t:s0' } },
      { labels: {} },
      { file_contexts: FC, labels: { '/usr/bin/cp': 'system_u:object_r:install_exec_t:s0' } },
      { file_contexts: FC, exclude_paths: ['/sysroot', '/var/log'], force_autorelabel: true },
      { file_contexts: FC, target: 'tree:///' },
      { file_contexts: FC, target: 'mount://root/' },
      { file_contexts: FC, target: 'mount://root/boot' },
      { labels: {}, force_autorelabel: false },
    ]);
    schema.accepts('inputs', [{}, { tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:build'] } }]);
    schema.accepts('mounts', [[], [{ name: 'root', type: 'org.osbuild.ext4', source: 'disk', target: '/' }]]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { force_autorelabel: true },
      { exclude_paths: ['/var'] },
      { file_contexts: 1 },
      { file_contexts: FC, exclude_paths: '/var' },
      { file_contexts: FC, exclude_paths: [1] },
      { labels: 'system_u:object_r:etc_t:s0' },
      { file_contexts: FC, force_autorelabel: 'yes' },
      { file_contexts: FC, target: '/' },
      { file_contexts: FC, target: 'tree://' },
      { file_contexts: FC, target: 'mount://root' },
      { file_contexts: FC, target: 'input://x/' },
      { file_contexts: FC, other: true },
    ]);
    schema.refuses('mounts', [{}]);
  });
});
