import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';
import { entry, itMatchesEachDataCase, runOnCopy, unavailable, useTreeBefore } from './stage-cases.js';
import { skipReason } from '@osbuild-ts/plugin-kit/testing';

const skip = skipReason(unavailable(['systemd-firstboot']));

describe.skipIf(skip !== null)(`org.osbuild.locale${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);

  it('replaces locale files that packages left, whichever systemd-firstboot writes', async () => {
    const { result, diff, after } = await runOnCopy(before(), { language: 'de_DE.UTF-8' }, (tree) => {
      writeFileSync(join(tree, 'etc/locale.conf'), 'LANG=C.UTF-8\n');
      writeFileSync(join(tree, 'etc/default/locale'), 'LANG=C.UTF-8\n');
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('/etc/locale.conf already exists. Replacing.\n/etc/default/locale already exists. Replacing.\n');
    // Debian's systemd-firstboot writes /etc/default/locale; elsewhere it is /etc/locale.conf.
    expect(diff.deleted_files).toEqual(['/etc/locale.conf']);
    expect(readFileSync(join(after, 'etc/default/locale'), 'utf8')).toBe('LANG=de_DE.UTF-8\n');
  });
});

describe('org.osbuild.locale without systemd-firstboot', () => {
  itNamesItsMissingTool({ entry, options: { language: 'C.UTF-8' }, tool: 'systemd-firstboot', package: 'systemd' });
});
