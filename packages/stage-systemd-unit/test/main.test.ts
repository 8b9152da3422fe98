import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { dataCases, entry, runOnCopy, testdir, unavailable, useTreeBefore } from './stage-cases.js';

const skip = skipReason(unavailable([]));

describe.skipIf(skip !== null)(`org.osbuild.systemd.unit${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  for (const c of dataCases()) {
    it(`${c.name}: changes the tree as test/data/${c.name}/diff.json says`, async () => {
      const { result, diff } = await runOnCopy(before(), c.options);
      expect(result.exitCode, result.output).toBe(0);
      expect(result.output).toBe('');
      c.check(diff);
    });
  }
});

describe('org.osbuild.systemd.unit', () => {
  it('writes the drop-in as upstream does', async () => {
    const tree = testdir('unit');
    const options = JSON.parse(readFileSync(join(import.meta.dirname, 'data/environment/options.json'), 'utf8')) as Record<string, unknown>;
    const result = await runStageLocally({ entry, tree, options });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(tree, 'usr/lib/systemd/system/systemd-networkd.service.d/10-osbuild.conf'), 'utf8')).toBe(
      '[Unit]\nConditionPathExists=/etc/osbuild-ready\n\n[Service]\nEnvironment="OSBUILD=1"\nEnvironment="GREETING=hello world"\n\n',
    );
  });

  it('replaces a drop-in of the same name', async () => {
    const tree = testdir('unit');
    const options = { unit: 'a.service', dropin: 'x.conf', config: { Service: { Environment: 'A=1' } } };
    await runStageLocally({ entry, tree, options });
    await runStageLocally({ entry, tree, options: { ...options, config: { Service: { Environment: 'A=2' } } } });
    expect(readFileSync(join(tree, 'usr/lib/systemd/system/a.service.d/x.conf'), 'utf8')).toBe('[Service]\nEnvironment=A=2\n\n');
  });

  it('refuses a unit name too long for its drop-in directory', async () => {
    const tree = testdir('unit');
    const unit = `${'a'.repeat(246)}.service`;
    const result = await runStageLocally({ entry, tree, options: { unit, dropin: 'x.conf', config: {} } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe(`the drop-in directory of ${unit} would exceed the maximum file name length (255)\n`);
  });
});
