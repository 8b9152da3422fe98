import { readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';
import { entry, itMatchesEachDataCase, runOnCopy, unavailable, useTreeBefore } from './stage-cases.js';
import { skipReason } from '@osbuild-ts/plugin-kit/testing';

const skip = skipReason(unavailable(['systemd-firstboot']));

describe.skipIf(skip !== null)(`org.osbuild.timezone${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);

  it('replaces the /etc/localtime packages left, and says so', async () => {
    const { result, after } = await runOnCopy(before(), { zone: 'America/New_York' });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('/etc/localtime already exists. Replacing.');
    expect(readlinkSync(join(after, 'etc/localtime'))).toBe('../usr/share/zoneinfo/America/New_York');
  });

  it('writes /etc/localtime where there was none', async () => {
    const { result, diff } = await runOnCopy(before(), { zone: 'UTC' }, (tree) => rmSync(join(tree, 'etc/localtime')));
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).not.toContain('Replacing');
    expect(diff).toEqual({ added_files: ['/etc/localtime'], deleted_files: [], differences: {} });
  });

  it('fails on a zone the build root does not know', async () => {
    const { result } = await runOnCopy(before(), { zone: 'Atlantis/Capital' });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('Atlantis/Capital');
  });
});

describe('org.osbuild.timezone without systemd-firstboot', () => {
  itNamesItsMissingTool({ entry, options: { zone: 'UTC' }, tool: 'systemd-firstboot', package: 'systemd' });
});
