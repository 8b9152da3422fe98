import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { unit: 'a.service', dropin: 'x.conf', config: {} },
      { unit: 'getty@tty1.service', dropin: '10-a_b.conf', config: { Service: { Environment: 'A=1' } }, 'unit-type': 'system' },
      {
        unit: 'b.timer',
        dropin: 'x.conf',
        config: { Unit: { ConditionPathExists: '/x' }, Service: { Environment: [{ key: 'A', value: '1' }] } },
        'unit-type': 'global',
      },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { dropin: 'x.conf', config: {} },
      { unit: 'a.socket', dropin: 'x.conf', config: {} },
      { unit: 'a/b.service', dropin: 'x.conf', config: {} },
      { unit: 'a.service', dropin: 'x.txt', config: {} },
      { unit: 'a.service', dropin: '../x.conf', config: {} },
      { unit: 'a.service', dropin: 'x.conf', config: { Install: {} } },
      { unit: 'a.service', dropin: 'x.conf', config: { Service: { ExecStart: '/bin/true' } } },
      { unit: 'a.service', dropin: 'x.conf', config: { Service: { Environment: [{ key: '1A', value: 'x' }] } } },
      { unit: 'a.service', dropin: 'x.conf', config: {}, 'unit-type': 'user' },
    ]);
  });
});
