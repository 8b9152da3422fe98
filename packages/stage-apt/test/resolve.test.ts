// The resolvers against the host's apt sources (as the lock is made): the
// debootstrap stage locks the base set, the apt stage only what its
// packages add to it, and an apt stage without a debootstrap stage before it
// is refused naming itself.
import { describe, expect, it } from 'vitest';
import { resolve as resolveApt } from '../src/resolve.js';
import { resolve as resolveBase } from '@osbuild-ts/stage-debian-debootstrap/resolve';

const log = () => undefined;
type Refs = { references: { id: string; options: { metadata: Record<string, string> } }[] };

describe('resolvers', { timeout: 300_000 }, () => {
  it('lock the base set, then only what org.osbuild.apt adds, each .deb with a checksummed URL', async () => {
    const base = await resolveBase({ type: 'org.osbuild.debian.debootstrap', options: { suite: 'bookworm', variant: 'minbase' }, pipeline: 'os', index: 0, previous: [], log });
    const baseNames = (base.inputs['debs'] as Refs).references.map((r) => r.options.metadata['deb.package']);
    expect(baseNames).toEqual(expect.arrayContaining(['dpkg', 'apt', 'libc6']));
    expect(baseNames).not.toContain('less');

    const apt = await resolveApt({
      type: 'org.osbuild.apt',
      options: { packages: ['less', 'dpkg'] },
      pipeline: 'os',
      index: 1,
      previous: [{ type: 'org.osbuild.debian.debootstrap', index: 0, state: base.state }],
      log,
    });
    const refs = (apt.inputs['debs'] as Refs).references;
    expect(refs.map((r) => r.options.metadata['deb.package'])).toEqual(['less']);
    const items = apt.sources['org.osbuild.curl']!;
    expect(Object.keys(items)).toEqual([refs[0]!.id]);
    expect(refs[0]!.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((items[refs[0]!.id] as { url: string }).url).toMatch(/\/pool\/main\/l\/less\/less_.*\.deb$/);
  });

  it('exclude drops packages from the base set', async () => {
    const base = await resolveBase({ type: 'org.osbuild.debian.debootstrap', options: { suite: 'bookworm', variant: 'minbase', exclude: ['e2fsprogs'] }, pipeline: 'os', index: 0, previous: [], log });
    expect((base.inputs['debs'] as Refs).references.map((r) => r.options.metadata['deb.package'])).not.toContain('e2fsprogs');
  });

  it('org.osbuild.apt without a debootstrap stage before it is refused, naming the stage', async () => {
    await expect(resolveApt({ type: 'org.osbuild.apt', options: { packages: ['less'] }, pipeline: 'os', index: 0, previous: [], log })).rejects.toThrow(
      /org\.osbuild\.apt \(pipeline os, stage 1\) needs an earlier org\.osbuild\.debian\.debootstrap stage/,
    );
  });

  it('an unknown package is an error that names it', async () => {
    await expect(
      resolveBase({ type: 'org.osbuild.debian.debootstrap', options: { suite: 'bookworm', variant: 'minbase', extra_packages: ['no-such-package-here'] }, pipeline: 'os', index: 0, previous: [], log }),
    ).rejects.toThrow(/unknown package no-such-package-here/);
  });
});
