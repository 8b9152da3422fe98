import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      {},
      {
        enabled_services: ['a.service'],
        disabled_services: [],
        masked_services: ['b.timer'],
        masked_generators: ['g'],
        default_target: 'multi-user.target',
      },
    ]);
  });

  it('refuses what upstream refuses, unit_dropins included (that is org.osbuild.systemd.unit)', () => {
    schema.refuses('options', [{ enabled_services: 'a.service' }, { masked_services: [1] }, { default_target: ['x'] }, { unit_dropins: {} }]);
  });
});
