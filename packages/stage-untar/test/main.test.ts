import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, lstatSync, mkdirSync, readFileSync, readlinkSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputArgument } from '@osbuild-ts/plugin-kit';
import { hasCommand, runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const asRoot = process.getuid?.() === 0;

/** A files input holding one tar archive of a small tree, named by its checksum as the engine names it. */
function archiveInput(compress?: 'gzip' | 'xz' | 'zstd'): InputArgument {
  const source = testdir('source');
  mkdirSync(join(source, 'etc/app'), { recursive: true });
  writeFileSync(join(source, 'etc/app/config'), 'key = value\n', { mode: 0o640 });
  symlinkSync('app/config', join(source, 'etc/link'));
  if (asRoot) chownSync(join(source, 'etc/app/config'), 1234, 5678);
  const tarball = join(testdir('archive'), 'a.tar');
  execFileSync('tar', ['-cf', tarball, '-C', source, '.']);
  if (compress) execFileSync(compress, ['-q', tarball]);
  const file = compress ? `${tarball}.${{ gzip: 'gz', xz: 'xz', zstd: 'zst' }[compress]}` : tarball;
  const bytes = readFileSync(file);
  const checksum = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const input = testdir('input');
  writeFileSync(join(input, checksum), bytes);
  return { path: input, data: { files: { [checksum]: {} } } };
}

function expectExtracted(root: string): void {
  expect(readFileSync(join(root, 'etc/app/config'), 'utf8')).toBe('key = value\n');
  const st = statSync(join(root, 'etc/app/config'));
  expect(st.mode & 0o777).toBe(0o640);
  if (asRoot) expect([st.uid, st.gid]).toEqual([1234, 5678]);
  expect(lstatSync(join(root, 'etc/link')).isSymbolicLink()).toBe(true);
  expect(readlinkSync(join(root, 'etc/link'))).toBe('app/config');
}

describe('org.osbuild.untar', () => {
  it('extracts the archive into the tree, keeping modes, owners and links', async () => {
    const tree = testdir('tree');
    const result = await runStageLocally({ entry, tree, options: {}, inputs: { file: archiveInput() } });
    expect(result.exitCode, result.output).toBe(0);
    expectExtracted(tree);
  });

  for (const compress of ['gzip', 'xz', 'zstd'] as const) {
    it.skipIf(!hasCommand(compress))(`finds ${compress} compression from the archive itself`, async () => {
      const tree = testdir('tree');
      const result = await runStageLocally({ entry, tree, options: { prefix: '/' }, inputs: { file: archiveInput(compress) } });
      expect(result.exitCode, result.output).toBe(0);
      expectExtracted(tree);
    });
  }

  it('extracts under a prefix of the tree, with or without its leading /', async () => {
    const tree = testdir('tree');
    mkdirSync(join(tree, 'opt/a'), { recursive: true });
    mkdirSync(join(tree, 'opt/b'), { recursive: true });
    for (const prefix of ['/opt/a', 'opt/b']) {
      const result = await runStageLocally({ entry, tree, options: { prefix }, inputs: { file: archiveInput() } });
      expect(result.exitCode, result.output).toBe(0);
    }
    expectExtracted(join(tree, 'opt/a'));
    expectExtracted(join(tree, 'opt/b'));
    expect(readdirSync(tree)).toEqual(['opt']);
  });

  it('extracts into a mount:// location, leaving the tree alone', async () => {
    const tree = testdir('tree');
    const mount = testdir('mount');
    mkdirSync(join(mount, 'boot'));
    const result = await runStageLocally({ entry, tree, options: { prefix: 'mount://root/boot' }, inputs: { file: archiveInput() }, mounts: { root: { path: mount } } });
    expect(result.exitCode, result.output).toBe(0);
    expectExtracted(join(mount, 'boot'));
    expect(readdirSync(tree)).toEqual([]);
    const whole = await runStageLocally({ entry, tree, options: { prefix: 'mount://root/' }, inputs: { file: archiveInput() }, mounts: { root: { path: mount } } });
    expect(whole.exitCode, whole.output).toBe(0);
    expectExtracted(mount);
  });

  it('says where it cannot extract', async () => {
    const tree = testdir('tree');
    writeFileSync(join(tree, 'file'), '');
    const cases: [Record<string, unknown>, string][] = [
      [{ prefix: '/opt' }, `prefix "/opt": ${tree}/opt is not a directory (create it first, e.g. with org.osbuild.mkdir)`],
      [{ prefix: 'file' }, `prefix "file": ${tree}/file is not a directory`],
      // .. stays inside the tree, as in every location.
      [{ prefix: '../outside' }, `prefix "../outside": ${tree}/outside is not a directory`],
      [{ prefix: 'mount://efi/' }, 'mount://efi/: no mount named "efi" (mounts: none)'],
      [{ prefix: 'input://file/' }, 'prefix "input://file/": inputs are read-only; unpack into the tree or a mount'],
    ];
    for (const [options, message] of cases) {
      const result = await runStageLocally({ entry, tree, options, inputs: { file: archiveInput() } });
      expect(result.exitCode, JSON.stringify(options)).toBe(1);
      expect(result.output).toContain(message);
    }
  });

  it('fails naming tar when the archive is not one, and the input when it is missing', async () => {
    const tree = testdir('tree');
    const input = testdir('input');
    writeFileSync(join(input, 'sha256:00'), 'not an archive at all');
    const broken = await runStageLocally({ entry, tree, inputs: { file: { path: input, data: { files: { 'sha256:00': {} } } } } });
    expect(broken.exitCode).toBe(1);
    expect(broken.output).toContain('tar: This does not look like a tar archive');
    expect(broken.output).toContain(`tar --auto-compress -x -f ${input}/sha256:00 -C ${tree}/ failed (exit status 2)`);
    const none = await runStageLocally({ entry, tree });
    expect(none.exitCode).toBe(1);
    expect(none.output.trim()).toBe('no input named "file" (inputs: none); the archive to extract is inputs.file, an org.osbuild.files input');
  });

  it('fails naming the tool and its package when the build root lacks tar', async () => {
    const result = await runStageLocally({ entry, tree: testdir('tree'), env: { PATH: '/nonexistent' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe('tar is not in the build root (searched /nonexistent); it comes with the package "tar"\n');
  });
});
