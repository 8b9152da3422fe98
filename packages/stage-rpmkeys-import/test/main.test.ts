import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';
import { hasCommand, runStageLocally } from '@osbuild-ts/plugin-kit/testing';
import { entry, testdir } from './stage-cases.js';

const skip = process.getuid?.() !== 0 ? 'needs root' : (['rpmkeys', 'rpm', 'gpg'].find((t) => !hasCommand(t)) ?? null);
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Two armored public keys made with gpg, as an org.osbuild.files input holds them (named by checksum). */
function makeKeys(work: string): { dir: string; files: string[]; ids: string[] } {
  const home = join(work, 'gnupg');
  const dir = join(work, 'input');
  mkdirSync(home, { mode: 0o700 });
  mkdirSync(dir);
  const files: string[] = [];
  const ids: string[] = [];
  for (const who of ['one', 'two']) {
    const uid = `osbuild-ts test ${who} <${who}@example.test>`;
    execFileSync('gpg', ['--homedir', home, '--batch', '--passphrase', '', '--quick-gen-key', uid, 'rsa2048', 'sign', 'never'], { stdio: 'ignore' });
    const key = execFileSync('gpg', ['--homedir', home, '--armor', '--export', uid]);
    const fingerprint = execFileSync('gpg', ['--homedir', home, '--with-colons', '--fingerprint', uid], { encoding: 'utf8' })
      .split('\n')
      .find((line) => line.startsWith('fpr:'))
      ?.split(':')[9];
    const name = sha256(key);
    writeFileSync(join(dir, name), key);
    files.push(name);
    ids.push((fingerprint ?? '').slice(-8).toLowerCase());
  }
  return { dir, files, ids };
}

describe.skipIf(skip !== null)(`org.osbuild.rpmkeys.import${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let work = '';
  let keys: ReturnType<typeof makeKeys>;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rpmkeys-keys-'));
    keys = makeKeys(work);
  }, 120_000);
  afterAll(() => {
    // gpg-agent was started for the throwaway home: stop it before the directory goes.
    if (work) {
      execFileSync('gpgconf', ['--homedir', join(work, 'gnupg'), '--kill', 'gpg-agent'], { stdio: 'ignore' });
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('imports each key of the input into the tree\'s RPM database', async () => {
    const tree = testdir('rpmkeys-tree');
    const result = await runStageLocally({
      entry,
      tree,
      inputs: { keys: { path: keys.dir, data: { files: Object.fromEntries(keys.files.map((f) => [f, {}])) } } },
      env: { PATH: '/usr/sbin:/usr/bin' },
    });
    expect(result.exitCode, result.output).toBe(0);
    for (const file of keys.files) expect(result.output).toContain(`imported key '${file}'`);
    const installed = execFileSync('rpm', ['--root', tree, '-q', 'gpg-pubkey', '--qf', '%{version} %{summary}\\n'], { encoding: 'utf8' });
    for (const [i, id] of keys.ids.entries()) {
      expect(installed).toContain(`${id} osbuild-ts test ${['one', 'two'][i]} <`);
    }
  });

  it('fails naming the file rpmkeys cannot import', async () => {
    const tree = testdir('rpmkeys-tree');
    const bad = Buffer.from('not a key\n');
    const dir = testdir('rpmkeys-bad');
    writeFileSync(join(dir, sha256(bad)), bad);
    const result = await runStageLocally({ entry, tree, inputs: { keys: { path: dir, data: { files: { [sha256(bad)]: {} } } } } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(`rpmkeys --verbose --root ${tree} --import ${join(dir, sha256(bad))} failed`);
  });

  it('fails clearly without a "keys" input', async () => {
    const result = await runStageLocally({ entry, tree: testdir('rpmkeys-tree'), inputs: {} });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('no input named "keys"');
  });
});

describe('org.osbuild.rpmkeys.import without rpmkeys', () => {
  itNamesItsMissingTool({ entry, options: {}, tool: 'rpmkeys', package: 'rpm' });
});
