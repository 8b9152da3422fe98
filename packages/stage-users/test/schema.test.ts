import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts (its own test cases included)', () => {
    schema.accepts('options', [
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
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { users: { '!invalid-name': {} } },
      { users: { '-leading-dash': {} } },
      { users: { foo: { home: 0 } } },
      { users: { foo: { expiredate: 1.5 } } },
      { users: { foo: { groups: 'wheel' } } },
      { groups: {} },
    ]);
  });
});
