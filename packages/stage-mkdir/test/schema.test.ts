import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts the path forms upstream accepts', () => {
    const paths = ['/fake_dir', 'fake_relative_dir', 'tree:///fake_parent/fake_dir', 'mount://root/boot/efi', 'mount:///fake_parent/fake_dir'];
    schema.accepts('options', [...paths.map((path) => ({ paths: [{ path, mode: 0o755, parents: true, exist_ok: false }] })), {}]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { paths: [{}] },
      { paths: [{ path: '../up' }] },
      { paths: [{ path: '/a/../../b' }] },
      { paths: [{ path: '/a', mode: '0755' }] },
      { paths: [{ path: '/a', owner: 'root' }] },
      { paths: [{ path: '/a' }], extra: true },
    ]);
  });
});
