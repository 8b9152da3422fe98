// The stage run directly on a directory (plugin-kit's local harness; the
// engine's sandbox is covered by engine.test.ts): key handling and defaults.
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, runStageLocally, testdir, type TestRpm } from '@osbuild-ts/plugin-kit/testing';
import { entry, fixtureRpms, installedIn } from './helpers.js';
import { makeSigningKey, type SigningKey } from './signing.js';

const missing = ['rpm', 'rpmbuild', 'gpg', 'apt-get'].filter((tool) => !hasCommand(tool));

/** An input directory holding the given RPMs under their checksums, as the engine lays it out. */
function inputOf(rpms: TestRpm[], metadata: Record<string, unknown> = {}) {
  const dir = testdir('rpm-input');
  for (const rpm of rpms) linkSync(rpm.source, join(dir, rpm.checksum));
  return { packages: { path: dir, data: { files: Object.fromEntries(rpms.map((r) => [r.checksum, metadata])) } } };
}

describe.skipIf(missing.length > 0)(`org.osbuild.rpm on a directory${missing.length ? ` (skipped: no ${missing.join(', ')})` : ''}`, () => {
  let rpms: Map<string, TestRpm>;
  let key: SigningKey;
  let home: string;
  beforeAll(() => {
    rpms = fixtureRpms();
    home = mkdtempSync(join(tmpdir(), 'rpm-gnupg-'));
    key = makeSigningKey(home);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('gpgkeys.fromtree imports a key file of the tree after the install', async () => {
    const tree = testdir('rpm-tree');
    mkdirSync(join(tree, 'etc/pki'), { recursive: true });
    writeFileSync(join(tree, 'etc/pki/osbt.asc'), key.armored);
    const r = await runStageLocally({ entry, tree, inputs: inputOf([rpms.get('osbt-filesystem')!]), options: { dbpath: '/var/lib/rpm', 'gpgkeys.fromtree': ['/etc/pki/osbt.asc'] } });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain("imported gpg keys from '/etc/pki/osbt.asc'");
    expect(installedIn(tree).filter((p) => p.startsWith('gpg-pubkey-'))).toHaveLength(1);
  });

  it('a key rpmkeys cannot import fails the stage, unless rpmkeys.ignore_import_failures', async () => {
    const options = { dbpath: '/var/lib/rpm', gpgkeys: ['not a key'] };
    const failed = await runStageLocally({ entry, tree: testdir('rpm-tree'), inputs: inputOf([rpms.get('osbt-filesystem')!]), options });
    expect(failed.exitCode).toBe(1);
    expect(failed.output).toContain('options.gpgkeys[0]: rpmkeys --import failed');
    const tree = testdir('rpm-tree');
    const ok = await runStageLocally({ entry, tree, inputs: inputOf([rpms.get('osbt-filesystem')!]), options: { ...options, rpmkeys: { ignore_import_failures: true } } });
    expect(ok.exitCode, ok.output).toBe(0);
    expect(ok.output).toContain('ignoring them');
    expect(installedIn(tree)).toEqual(['osbt-filesystem-1-1.noarch']);
  });

  it('without dbpath: the build root rpm\'s database path, but /var/lib/rpm instead of a per-user one', async () => {
    const tree = testdir('rpm-tree');
    const configured = execFileSync('rpm', ['--eval', '%{_dbpath}'], { encoding: 'utf8' }).trim();
    const r = await runStageLocally({ entry, tree, inputs: inputOf([rpms.get('osbt-filesystem')!]) });
    expect(r.exitCode, r.output).toBe(0);
    const expected = configured.includes('/.rpmdb') ? '/var/lib/rpm' : configured;
    expect(installedIn(tree, expected)).toEqual(['osbt-filesystem-1-1.noarch']);
    expect((r.metadata?.['packages'] as { name: string }[]).map((p) => p.name)).toEqual(['osbt-filesystem']);
    // The host's mounts are as they were.
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(tree);
  });
});
