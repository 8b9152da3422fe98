import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    for (const good of [
      { unit: 'a.service', dropin: 'x.conf', config: {} },
      { unit: 'getty@tty1.service', dropin: '10-a_b.conf', config: { Service: { Environment: 'A=1' } }, 'unit-type': 'system' },
      {
        unit: 'b.timer',
        dropin: 'x.conf',
        config: { Unit: { ConditionPathExists: '/x' }, Service: { Environment: [{ key: 'A', value: '1' }] } },
        'unit-type': 'global',
      },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
      { dropin: 'x.conf', config: {} },
      { unit: 'a.socket', dropin: 'x.conf', config: {} },
      { unit: 'a/b.service', dropin: 'x.conf', config: {} },
      { unit: 'a.service', dropin: 'x.txt', config: {} },
      { unit: 'a.service', dropin: '../x.conf', config: {} },
      { unit: 'a.service', dropin: 'x.conf', config: { Install: {} } },
      { unit: 'a.service', dropin: 'x.conf', config: { Service: { ExecStart: '/bin/true' } } },
      { unit: 'a.service', dropin: 'x.conf', config: { Service: { Environment: [{ key: '1A', value: 'x' }] } } },
      { unit: 'a.service', dropin: 'x.conf', config: {}, 'unit-type': 'user' },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
