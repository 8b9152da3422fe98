// The stage with the real implantisomd5 on an ISO made by xorriso:
// checkisomd5 passes afterwards, fails on a changed byte, and the same
// ISO gets the same implanted bytes.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const unavailable = !hasCommand('implantisomd5') || !hasCommand('checkisomd5') ? 'needs isomd5sum' : !hasCommand('xorrisofs') ? 'needs xorriso' : null;

/** A tree holding one ISO, made by xorrisofs with fixed dates. */
function treeWithIso(): string {
  const content = testdir('implant-content');
  mkdirSync(join(content, 'live'));
  // checkisomd5 needs some megabytes: on tiny ISOs it fails whatever is implanted.
  const data = Buffer.alloc(5_000_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
  writeFileSync(join(content, 'live/filesystem.squashfs'), data);
  const tree = testdir('implant-tree');
  mkdirSync(join(tree, 'out'));
  execFileSync('xorrisofs', ['-V', 'TEST', '-rock', '-joliet', '--modification-date=2023111422132000', '--set_all_file_dates', '2023111422132000', '-o', join(tree, 'out/live.iso'), content], { stdio: 'ignore' });
  return tree;
}

function check(iso: string): number | null {
  return spawnSync('checkisomd5', [iso], { stdio: 'ignore' }).status;
}

describe.skipIf(unavailable !== null)(`org.osbuild.implantisomd5${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('implants the checksum checkisomd5 verifies', async () => {
    const tree = treeWithIso();
    const iso = join(tree, 'out/live.iso');
    const pristine = join(testdir('implant-copy'), 'pristine.iso');
    copyFileSync(iso, pristine);
    const result = await runStageLocally({ entry, tree, options: { filename: '/out/live.iso' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(check(iso)).toBe(0);
    expect(execFileSync('checkisomd5', ['--md5sumonly', iso], { encoding: 'utf8' })).toMatch(/live\.iso:\s+[0-9a-f]{32}\n/);
    // A changed byte in the data is found.
    const fd = openSync(iso, 'r+');
    writeSync(fd, Buffer.from([0x55]), 0, 1, 2_000_000);
    closeSync(fd);
    expect(check(iso)).not.toBe(0);
    // The same ISO gets the same bytes.
    const again = testdir('implant-again');
    mkdirSync(join(again, 'out'));
    copyFileSync(pristine, join(again, 'out/live.iso'));
    expect((await runStageLocally({ entry, tree: again, options: { filename: 'out/live.iso' } })).exitCode).toBe(0);
    const twice = testdir('implant-twice');
    mkdirSync(join(twice, 'out'));
    copyFileSync(pristine, join(twice, 'out/live.iso'));
    expect((await runStageLocally({ entry, tree: twice, options: { filename: 'out/live.iso' } })).exitCode).toBe(0);
    const digest = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(digest(join(again, 'out/live.iso'))).toBe(digest(join(twice, 'out/live.iso')));
  });

  it('names the ISO that is not there', async () => {
    const result = await runStageLocally({ entry, tree: testdir('implant-empty'), options: { filename: 'missing.iso' } });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/filename "missing\.iso": no such ISO in the tree/);
  });
});
