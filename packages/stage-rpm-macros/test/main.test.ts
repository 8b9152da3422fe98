import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally, testdir, treeDiff } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

describe('org.osbuild.rpm.macros', () => {
  it('writes the macro file upstream writes (test/data/stages/rpm.macros)', async () => {
    const before = testdir('rpm-macros');
    const tree = testdir('rpm-macros');
    const options = { filename: '/etc/rpm/macros.image-language-conf', macros: { _install_langs: ['en_US'] } };
    const r = await runStageLocally({ entry, tree, options });
    expect(r.exitCode, r.output).toBe(0);
    const diff = treeDiff(before, tree);
    expect(diff).toEqual({ added_files: ['/etc', '/etc/rpm', '/etc/rpm/macros.image-language-conf'], deleted_files: [], differences: {} });
    expect(readFileSync(join(tree, 'etc/rpm/macros.image-language-conf'), 'utf8')).toBe('%_install_langs en_US\n');
  });

  it('joins languages with colons and writes every macro in option order, replacing the file', async () => {
    const tree = testdir('rpm-macros');
    const options = { filename: 'etc/rpm/macros.osbt', macros: { _dbpath: '/usr/lib/sysimage/rpm', _install_langs: ['de', 'fr_FR'] } };
    expect((await runStageLocally({ entry, tree, options })).exitCode).toBe(0);
    expect((await runStageLocally({ entry, tree, options })).exitCode).toBe(0);
    expect(readFileSync(join(tree, 'etc/rpm/macros.osbt'), 'utf8')).toBe('%_dbpath /usr/lib/sysimage/rpm\n%_install_langs de:fr_FR\n');
  });
});
