import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json (upstream org.osbuild.rpm.macros)', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { filename: '/etc/rpm/macros.image-language-conf', macros: { _install_langs: ['en_US'] } },
      { filename: 'etc/rpm/macros.db', macros: { _dbpath: '/usr/lib/sysimage/rpm', _install_langs: ['de', 'fr'] } },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { macros: { _dbpath: '/x' } },
      { filename: '/etc/rpm/x' },
      { filename: '/etc/rpm/x', macros: {} },
      { filename: '/etc/rpm/x', macros: { _other: 'x' } },
      { filename: '/etc/rpm/x', macros: { _install_langs: [] } },
      { filename: '/etc/rpm/x', macros: { _install_langs: ['en', 'en'] } },
      { filename: '/etc/rpm/x', macros: { _dbpath: 1 } },
      { filename: '/etc/rpm/x', macros: { _dbpath: '/x' }, extra: true },
    ]);
  });
});
