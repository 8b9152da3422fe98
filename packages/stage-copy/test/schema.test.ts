import { describe, expect, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('has the parts of a v2 stage, inputs, devices and mounts free-form', () => {
    expect(Object.keys(schema.file).sort()).toEqual(['devices', 'inputs', 'mounts', 'options']);
    schema.accepts('inputs', [{ tree: { type: 'org.osbuild.tree' } }]);
    schema.accepts('mounts', [[{ name: 'root' }]]);
  });

  it('accepts each source and destination scheme', () => {
    schema.accepts('options', [
      {
        paths: [
          { from: 'input://tree/etc/', to: 'tree:///etc/' },
          { from: 'mount://root/boot', to: 'mount://efi/EFI', remove_destination: true },
          { from: 'tree:///usr/lib/x', to: 'tree:///x' },
        ],
      },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { paths: [] },
      { paths: [{ from: 'tree:///a' }] },
      { paths: [{ from: '/a', to: 'tree:///b' }] },
      { paths: [{ from: 'tree:///a', to: 'input://tree/b' }] },
      { paths: [{ from: 'input:///a', to: 'tree:///b' }] },
      { paths: [{ from: 'tree:///a', to: 'tree:///b', mode: 0o644 }] },
      { paths: [{ from: 'tree:///a', to: 'tree:///b' }], extra: true },
    ]);
  });
});
