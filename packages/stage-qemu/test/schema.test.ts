import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile({ ...schema['options'], definitions: schema['definitions'] });
const inputs = new Ajv().compile(schema['inputs'] ?? false);

describe('schema.json', () => {
  it("accepts upstream's formats with their options, and raw", () => {
    for (const format of [
      { type: 'qcow2' },
      { type: 'qcow2', compression: false, compat: '0.10' },
      { type: 'vdi' },
      { type: 'vmdk', adapter_type: 'lsilogic', compat6: true, compression: false, subformat: 'streamOptimized' },
      { type: 'vpc' },
      { type: 'vpc', force_size: false, subformat: 'dynamic' },
      { type: 'vhdx' },
      { type: 'raw' },
    ]) {
      expect(options({ filename: 'disk.img', format }), JSON.stringify(format)).toBe(true);
    }
    expect(inputs({ image: { type: 'org.osbuild.files', origin: 'org.osbuild.pipeline', references: { 'name:image': { file: 'disk.raw' } } } })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
      { filename: 'disk.img' },
      { format: { type: 'qcow2' } },
      { filename: 'disk.img', format: 'qcow2' },
      { filename: 'disk.img', format: { type: 'raw.xz' } },
      { filename: 'disk.img', format: { type: 'vdi', compat: '1.1' } },
      { filename: 'disk.img', format: { type: 'qcow2', subformat: 'fixed' } },
      { filename: 'disk.img', format: { type: 'vmdk', adapter_type: 'virtio' } },
      { filename: 'disk.img', format: { type: 'vpc', subformat: 'sparse' } },
      { filename: 'disk.img', format: { type: 'qcow2' }, size: 1 },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(inputs({})).toBe(false);
    expect(inputs({ image: {}, tree: {} })).toBe(false);
  });
});
