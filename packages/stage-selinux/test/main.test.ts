import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';
import { entry, runOnCopy, testdir, unavailable, useTreeBefore } from './stage-cases.js';
import { labelOf, labelsOf, readLabels } from './labels.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const sampleTree = (): string => {
  const dir = join(testdir('selinux-sample'), 'tree');
  cpSync(join(fixtures, 'sample-tree'), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
};
const tools = unavailable(['setfiles', 'setfattr', 'getfattr']);
const HOST_POLICY = '/etc/selinux/default/contexts/files/file_contexts';
const debianSkip = tools ?? (existsSync(HOST_POLICY) ? null : `${HOST_POLICY} is missing (Debian package selinux-policy-default)`);

describe.skipIf(tools !== null)(`org.osbuild.selinux on a small tree${tools ? ` (skipped: ${tools})` : ''}`, () => {
  it('sets the labels upstream\'s stage set for the same tree and options, and asks for a full relabel', async () => {
    const tree = sampleTree();
    const options = JSON.parse(readFileSync(join(fixtures, 'all-options.json'), 'utf8'));
    const result = await runStageLocally({ entry, tree, options });
    expect(result.exitCode, result.output).toBe(0);
    expect(labelsOf(tree)).toEqual(readLabels(join(fixtures, 'all-options.labels.tsv')));
    expect(readFileSync(join(tree, '.autorelabel'), 'utf8')).toBe('-F');
  });

  it('takes file_contexts from an input and labels a mount\'s subtree; .autorelabel goes to the mount\'s root', async () => {
    const tree = testdir('selinux-tree');
    const mount = sampleTree();
    const input = testdir('selinux-input');
    cpSync(join(fixtures, 'sample-tree/etc/selinux/test/contexts/files/file_contexts'), join(input, 'file_contexts'));
    const result = await runStageLocally({
      entry,
      tree,
      inputs: { policy: { path: input } },
      mounts: { root: { path: mount } },
      options: { file_contexts: 'input://policy/file_contexts', target: 'mount://root/etc', force_autorelabel: true },
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(labelOf(join(mount, 'etc'))).toBe('system_u:object_r:etc_t:s0');
    expect(labelOf(join(mount, 'etc/hostname'))).toBe('system_u:object_r:net_conf_t:s0');
    expect(labelOf(join(mount, 'etc/selinux/test'))).toBe('system_u:object_r:selinux_config_t:s0');
    // Outside the target: untouched.
    expect(labelOf(mount)).toBe('-');
    expect(labelOf(join(mount, 'usr/bin/ls'))).toBe('-');
    expect(readFileSync(join(mount, '.autorelabel'), 'utf8')).toBe('-F');
    expect(readdirSync(tree)).toEqual([]);
  });

  it('with labels alone needs no file_contexts and no setfiles', async () => {
    const tree = sampleTree();
    const result = await runStageLocally({ entry, tree, options: { labels: { 'usr/bin/ls': 'system_u:object_r:bin_t:s0' } }, env: { PATH: '/usr/bin' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(labelOf(join(tree, 'usr/bin/ls'))).toBe('system_u:object_r:bin_t:s0');
    expect(labelOf(join(tree, 'usr/bin/cp'))).toBe('-');
    expect(existsSync(join(tree, '.autorelabel'))).toBe(false);
  });

  it('fails naming the file_contexts setfiles cannot read', async () => {
    const tree = sampleTree();
    const result = await runStageLocally({ entry, tree, options: { file_contexts: 'etc/selinux/none/file_contexts' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(`setfiles -F -r ${tree} ${tree}/etc/selinux/none/file_contexts ${tree}/ failed`);
  });

  it('fails naming the label a path cannot take', async () => {
    const tree = sampleTree();
    const result = await runStageLocally({ entry, tree, options: { labels: { '/no/such/file': 'system_u:object_r:etc_t:s0' } } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('labels: /no/such/file: cannot set security.selinux to system_u:object_r:etc_t:s0');
  });
});

describe.skipIf(debianSkip !== null)(`org.osbuild.selinux with Debian's policy${debianSkip ? ` (skipped: ${debianSkip})` : ''}`, () => {
  const before = useTreeBefore();

  it('labels a Debian tree from selinux-policy-default\'s file_contexts, honouring exclude_paths and labels, without changing files', async () => {
    const policy = 'etc/selinux/default/contexts/files/file_contexts';
    const { result, diff, after } = await runOnCopy(
      before(),
      { file_contexts: policy, exclude_paths: ['/var/log'], labels: { '/usr/bin/cp': 'system_u:object_r:install_exec_t:s0' } },
      (tree) => {
        mkdirSync(join(tree, 'etc/selinux/default/contexts/files'), { recursive: true });
        cpSync(HOST_POLICY, join(tree, policy));
      },
    );
    expect(result.exitCode, result.output).toBe(0);
    // Only extended attributes change; tree-diff (which does not compare labels here) sees nothing.
    expect(diff).toEqual({ added_files: [], deleted_files: [], differences: {} });
    const label = (p: string) => labelOf(join(after, p));
    expect(label('/')).toBe('system_u:object_r:root_t:s0');
    expect(label('/etc')).toBe('system_u:object_r:etc_t:s0');
    expect(label('/etc/passwd')).toBe('system_u:object_r:etc_t:s0');
    expect(label('/etc/shadow')).toBe('system_u:object_r:shadow_t:s0');
    expect(label('/etc/hostname')).toBe('system_u:object_r:net_conf_t:s0');
    // /home's own label is in file_contexts.homedirs, which setfiles is not given (nor upstream's).
    expect(label('/home')).toBe('system_u:object_r:default_t:s0');
    expect(label('/usr')).toBe('system_u:object_r:usr_t:s0');
    expect(label('/usr/bin/ls')).toBe('system_u:object_r:bin_t:s0');
    expect(label('/usr/bin/cp')).toBe('system_u:object_r:install_exec_t:s0');
    expect(label('/var')).toBe('system_u:object_r:var_t:s0');
    expect(label('/var/log')).toBe('-');
    for (const name of readdirSync(join(after, 'var/log'))) expect(label(`/var/log/${name}`), `/var/log/${name}`).toBe('-');
    expect(label('/var/lib')).toBe('system_u:object_r:var_lib_t:s0');
  });
});

describe('org.osbuild.selinux without its tools', () => {
  itNamesItsMissingTool({ entry, options: { file_contexts: 'x' }, tool: 'setfiles', package: 'policycoreutils' });
});
