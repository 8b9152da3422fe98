import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it("accepts upstream's formats with their options, and raw", () => {
    const formats = [
      { type: 'qcow2' },
      { type: 'qcow2', compression: false, compat: '0.10' },
      { type: 'vdi' },
      { type: 'vmdk', adapter_type: 'lsilogic', compat6: true, compression: false, subformat: 'streamOptimized' },
      { type: 'vpc' },
      { type: 'vpc', force_size: false, subformat: 'dynamic' },
      { type: 'vhdx' },
      { type: 'raw' },
    ];
    schema.accepts('options', formats.map((format) => ({ filename: 'disk.img', format })));
    schema.accepts('inputs', [{ image: { type: 'org.osbuild.files', origin: 'org.osbuild.pipeline', references: { 'name:image': { file: 'disk.raw' } } } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { filename: 'disk.img' },
      { format: { type: 'qcow2' } },
      { filename: 'disk.img', format: 'qcow2' },
      { filename: 'disk.img', format: { type: 'raw.xz' } },
      { filename: 'disk.img', format: { type: 'vdi', compat: '1.1' } },
      { filename: 'disk.img', format: { type: 'qcow2', subformat: 'fixed' } },
      { filename: 'disk.img', format: { type: 'vmdk', adapter_type: 'virtio' } },
      { filename: 'disk.img', format: { type: 'vpc', subformat: 'sparse' } },
      { filename: 'disk.img', format: { type: 'qcow2' }, size: 1 },
    ]);
    schema.refuses('inputs', [{}, { image: {}, tree: {} }]);
  });
});
