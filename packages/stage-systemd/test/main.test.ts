import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { entry, itMatchesEachDataCase, runOnCopy, testdir, unavailable, useTreeBefore } from './stage-cases.js';

const skip = skipReason(unavailable(['systemctl']));

describe.skipIf(skip !== null)(`org.osbuild.systemd${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);

  it('sets the default target and masks with links to /dev/null', async () => {
    const { result, after } = await runOnCopy(before(), { default_target: 'graphical.target', masked_services: ['e2scrub_all.timer'] });
    expect(result.exitCode, result.output).toBe(0);
    expect(readlinkSync(join(after, 'etc/systemd/system/default.target'))).toBe('/lib/systemd/system/graphical.target');
    expect(readlinkSync(join(after, 'etc/systemd/system/e2scrub_all.timer'))).toBe('/dev/null');
  });

  it('fails on a unit the tree does not have, naming it', async () => {
    const { result } = await runOnCopy(before(), { enabled_services: ['no-such-thing.service'] });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('no-such-thing.service');
  });
});

describe('org.osbuild.systemd generators', () => {
  it('masks generators without systemctl', async () => {
    const tree = testdir('systemd');
    const result = await runStageLocally({ entry, tree, options: { masked_generators: ['fake-generator'] }, env: { PATH: '/nonexistent' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readlinkSync(join(tree, 'etc/systemd/system-generators/fake-generator'))).toBe('/dev/null');
  });

  it('refuses a generator name that is a path, and a mask that exists', async () => {
    const tree = testdir('systemd');
    const path = await runStageLocally({ entry, tree, options: { masked_generators: ['../../escape'] } });
    expect(path.exitCode).toBe(1);
    expect(path.output).toBe('masked_generators: "../../escape" is not a generator name (a file name, without /)\n');
    expect(existsSync(join(tree, 'etc/escape'))).toBe(false);
    await runStageLocally({ entry, tree, options: { masked_generators: ['g'] } });
    const again = await runStageLocally({ entry, tree, options: { masked_generators: ['g'] } });
    expect(again.exitCode).toBe(1);
    expect(again.output).toBe('masked_generators: /etc/systemd/system-generators/g already exists\n');
  });

  it('fails naming systemctl and its package when units are asked for and systemctl is missing', async () => {
    const tree = testdir('systemd');
    const result = await runStageLocally({ entry, tree, options: { default_target: 'multi-user.target' }, env: { PATH: '/nonexistent' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe('systemctl is not in the build root (searched /nonexistent); it comes with the package "systemd"\n');
  });
});
