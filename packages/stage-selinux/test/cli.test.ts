/**
 * The whole way through the real `osbuild` binary: a v2 manifest writes the
 * kernel command line and a journald drop-in, then labels the tree with a
 * file_contexts that arrives as an org.osbuild.inline source through an
 * org.osbuild.files input. The exported tree must carry the files and their
 * security.selinux labels: they survive the store's overlay layers.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testdir, unavailable } from './stage-cases.js';
import { labelOf } from './labels.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const osbuildBin = join(repoRoot, 'packages', 'cli', 'bin', 'osbuild.js');
const skip = unavailable(['setfiles', 'setfattr', 'getfattr', 'bwrap']);

function runOsbuild(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [osbuildBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OSBUILD_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A project as a user would have it: these stages and the inline source installed; org.osbuild.files from core's fixture. */
function makeProject(): string {
  const project = testdir('selinux-project');
  const link = (name: string, dir: string) => {
    const at = join(project, 'node_modules', name);
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(dir, at);
  };
  for (const name of ['stage-selinux', 'stage-kernel-cmdline', 'stage-systemd-journald', 'source-inline']) link(`@osbuild-ts/${name}`, join(repoRoot, 'packages', name));
  link('@osbuild-ts-fixtures/input-files', join(repoRoot, 'packages', 'core', 'test', 'fixtures', 'plugins', 'input-files'));
  return project;
}

describe.skipIf(skip !== null)(`org.osbuild.selinux in a build (osbuild CLI)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('builds a v2 manifest and exports a tree with the files and their labels', async () => {
    if (!existsSync(osbuildBin)) throw new Error(`build the CLI first: ${osbuildBin} is missing`);
    const policy = readFileSync(join(import.meta.dirname, 'fixtures/sample-tree/etc/selinux/test/contexts/files/file_contexts'));
    const digest = `sha256:${createHash('sha256').update(policy).digest('hex')}`;
    const manifest = {
      version: '2',
      pipelines: [
        {
          name: 'os',
          stages: [
            { type: 'org.osbuild.kernel-cmdline', options: { root_fs_uuid: '76a22bf4-f153-4541-b6c7-0332c0dfaeac', kernel_opts: 'ro quiet' } },
            { type: 'org.osbuild.systemd-journald', options: { filename: '10-persistent.conf', config: { Journal: { Storage: 'persistent' } } } },
            {
              type: 'org.osbuild.selinux',
              inputs: { policy: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [digest]: {} } } },
              options: {
                file_contexts: `input://policy/${digest}`,
                exclude_paths: ['/usr/lib/systemd'],
                labels: { '/etc/kernel/cmdline': 'system_u:object_r:bootloader_etc_t:s0' },
                force_autorelabel: true,
              },
            },
          ],
        },
      ],
      sources: { 'org.osbuild.inline': { items: { [digest]: { encoding: 'base64', data: policy.toString('base64') } } } },
    };
    const work = testdir('selinux-build');
    writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest));
    const out = join(work, 'out');
    const built = await runOsbuild(['--libdir', makeProject(), '--store', join(work, 'store'), '--output-directory', out, '--export', 'os', '--json', join(work, 'manifest.json')], work);
    expect(built.code, `${built.stderr}\n${built.stdout}`).toBe(0);
    expect(JSON.parse(built.stdout).success).toBe(true);

    const tree = join(out, 'os');
    expect(readFileSync(join(tree, 'etc/kernel/cmdline'), 'utf8')).toBe('root=UUID=76a22bf4-f153-4541-b6c7-0332c0dfaeac ro quiet');
    expect(readFileSync(join(tree, 'usr/lib/systemd/journald.conf.d/10-persistent.conf'), 'utf8')).toBe('[Journal]\nStorage=persistent\n\n');
    expect(readFileSync(join(tree, '.autorelabel'), 'utf8')).toBe('-F');
    expect(labelOf(join(tree, 'etc'))).toBe('system_u:object_r:etc_t:s0');
    expect(labelOf(join(tree, 'etc/kernel'))).toBe('system_u:object_r:etc_t:s0');
    expect(labelOf(join(tree, 'etc/kernel/cmdline'))).toBe('system_u:object_r:bootloader_etc_t:s0');
    expect(labelOf(join(tree, 'usr'))).toBe('system_u:object_r:usr_t:s0');
    expect(labelOf(join(tree, 'usr/lib'))).toBe('system_u:object_r:usr_t:s0');
    expect(labelOf(join(tree, 'usr/lib/systemd'))).toBe('-');
    expect(labelOf(join(tree, 'usr/lib/systemd/journald.conf.d/10-persistent.conf'))).toBe('-');
  }, 300_000);

  it('builds the same stages from a v1 manifest (options only, no inputs)', async () => {
    const manifest = {
      pipeline: {
        stages: [
          { name: 'org.osbuild.kernel-cmdline', options: { root_fs_uuid: '6699-AFB5', kernel_opts: 'quiet' } },
          { name: 'org.osbuild.systemd-journald', options: { filename: 'a.conf', config: { Journal: { Storage: 'auto' } } } },
          { name: 'org.osbuild.selinux', options: { labels: { '/etc/kernel/cmdline': 'system_u:object_r:etc_t:s0' }, force_autorelabel: true } },
        ],
      },
    };
    const work = testdir('selinux-build-v1');
    writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest));
    const out = join(work, 'out');
    const built = await runOsbuild(['--libdir', makeProject(), '--store', join(work, 'store'), '--output-directory', out, '--export', 'tree', join(work, 'manifest.json')], work);
    expect(built.code, `${built.stderr}\n${built.stdout}`).toBe(0);
    const tree = join(out, 'tree');
    expect(readFileSync(join(tree, 'etc/kernel/cmdline'), 'utf8')).toBe('root=UUID=6699-AFB5 quiet');
    expect(readFileSync(join(tree, 'usr/lib/systemd/journald.conf.d/a.conf'), 'utf8')).toBe('[Journal]\nStorage=auto\n\n');
    expect(readFileSync(join(tree, '.autorelabel'), 'utf8')).toBe('-F');
    expect(labelOf(join(tree, 'etc/kernel/cmdline'))).toBe('system_u:object_r:etc_t:s0');
  }, 300_000);
});
