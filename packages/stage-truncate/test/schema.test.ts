import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    for (const good of [
      { filename: 'disk.img', size: '10737418240' },
      { filename: '/disk.img', size: '10G' },
      { filename: 'image/disk.raw', size: '+1GiB' },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('refuses what upstream refuses: a missing or numeric size, other options', () => {
    for (const bad of [
      {},
      { filename: 'disk.img' },
      { size: '1G' },
      { filename: 'disk.img', size: 1073741824 },
      { filename: 'disk.img', size: '1G', sparse: true },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
