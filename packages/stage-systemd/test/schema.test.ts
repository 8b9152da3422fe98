import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    for (const good of [
      {},
      {
        enabled_services: ['a.service'],
        disabled_services: [],
        masked_services: ['b.timer'],
        masked_generators: ['g'],
        default_target: 'multi-user.target',
      },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('refuses what upstream refuses, unit_dropins included (that is org.osbuild.systemd.unit)', () => {
    for (const bad of [{ enabled_services: 'a.service' }, { masked_services: [1] }, { default_target: ['x'] }, { unit_dropins: {} }]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
