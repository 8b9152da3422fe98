import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts (its own test cases included)', () => {
    for (const good of [
      {},
      { users: { foo: {} } },
      { users: { 'foo.bar.baz': {} } },
      {
        users: {
          foo: {
            uid: 1000,
            gid: 1000,
            groups: ['wheel'],
            description: 'd',
            home: '/h',
            shell: '/s',
            password: 'p',
            key: 'k',
            keys: ['a'],
            expiredate: 1,
            force_password_reset: true,
          },
        },
      },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
      { users: { '!invalid-name': {} } },
      { users: { '-leading-dash': {} } },
      { users: { foo: { home: 0 } } },
      { users: { foo: { expiredate: 1.5 } } },
      { users: { foo: { groups: 'wheel' } } },
      { groups: {} },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
