import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';
import { entry, itMatchesEachDataCase, runOnCopy, unavailable, useTreeBefore } from './stage-cases.js';
import { skipReason } from '@osbuild-ts/plugin-kit/testing';

const skip = skipReason(unavailable(['systemd-firstboot']));

describe.skipIf(skip !== null)(`org.osbuild.hostname${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);

  it('replaces an existing /etc/hostname and says so', async () => {
    const { result, after } = await runOnCopy(before(), { hostname: 'box.example.test' });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('/etc/hostname already exists. Replacing.');
    expect(readFileSync(join(after, 'etc/hostname'), 'utf8')).toBe('box.example.test\n');
  });

  it('writes /etc/hostname where there was none', async () => {
    const { result, diff } = await runOnCopy(before(), { hostname: 'fresh' }, (tree) => rmSync(join(tree, 'etc/hostname')));
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).not.toContain('Replacing');
    expect(diff).toEqual({ added_files: ['/etc/hostname'], deleted_files: [], differences: {} });
  });

  it('fails on a name systemd-firstboot refuses', async () => {
    const { result } = await runOnCopy(before(), { hostname: 'not a host name!' });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('systemd-firstboot');
  });
});

describe('org.osbuild.hostname without systemd-firstboot', () => {
  itNamesItsMissingTool({ entry, options: { hostname: 'x' }, tool: 'systemd-firstboot', package: 'systemd' });
});
