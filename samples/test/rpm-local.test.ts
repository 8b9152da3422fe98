import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason } from '@osbuild-ts/plugin-kit/testing';
import { OSBUILD, REPO, run, tail } from './run.js';
import { rpmSbomMatchesTree } from './sbom-check.js';

const missingTool = ['rpmbuild', 'createrepo_c', 'dnf', 'bwrap', 'apt-get'].find((tool) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
const unavailable = skipReason(missingTool === undefined ? null : `needs ${missingTool}`);

describe.skipIf(unavailable !== null)(`samples/rpm-local${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'sample-rpm-local-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const out = join(work, 'out');

  it('pins hello-app from a local repository and builds a tree with exactly the pinned packages', async () => {
    const r = await run(process.execPath, [join(REPO, 'samples', 'rpm-local', 'build.mjs')], { OUTPUT: out, STORE: join(work, 'store') });
    expect(r.status, tail(r.output)).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const pinned = (manifest.pipelines[0].stages[0].inputs.packages.references as { options: { metadata: Record<string, string> } }[])
      .map((ref) => ref.options.metadata['rpm.nevra']!.replace('-0:', '-'))
      .sort();
    // dnf's choice: hello-app, what it requires, and /bin/sh for its %post; not hello-unused.
    expect(pinned).toEqual(['hello-app-1.0-1.noarch', 'hello-filesystem-1-1.noarch', 'hello-lib-2.0-1.noarch', 'hello-sh-1.35.0-1.x86_64']);
    const tree = join(out, 'tree');
    const installed = execFileSync('rpm', ['--root', tree, '--dbpath', '/var/lib/rpm', '-qa', '--qf', '%{NAME}-%{EVR}.%{ARCH}\\n'], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(installed).toEqual(pinned);
    expect(readFileSync(join(tree, 'var/lib/hello/lib-installed'), 'utf8')).toBe('hello-lib installed by a Lua scriptlet\n');
    expect(readFileSync(join(tree, 'var/lib/hello/app-installed'), 'utf8')).toBe('hello-app installed by a shell scriptlet\n');
    expect(readFileSync(join(tree, 'etc/rpm/macros.dbpath'), 'utf8')).toBe('%_dbpath /var/lib/rpm\n');
    expect(existsSync(join(tree, 'usr/share/hello-unused'))).toBe(false);
    expect(execFileSync('chroot', [tree, '/usr/bin/hello'], { encoding: 'utf8' })).toBe('Hello from an RPM\n');
  });

  it('--sbom (the build again, from the store) lists what rpm -qa lists, with the pinned checksums and URLs', async () => {
    const manifest = join(out, 'manifest.json');
    const spdx = join(work, 'sbom.spdx.json');
    const cdx = join(work, 'sbom.cdx.json');
    for (const [file, format] of [[spdx, 'spdx'], [cdx, 'cyclonedx']] as const) {
      const r = await run(OSBUILD, ['--store', join(work, 'store'), '--export', 'tree', '--output-directory', join(work, 'out-sbom'), '--sbom', file, '--sbom-format', format, manifest]);
      expect(r.status, tail(r.output)).toBe(0);
    }
    const problems = rpmSbomMatchesTree({
      manifest: JSON.parse(readFileSync(manifest, 'utf8')),
      tree: join(out, 'tree'),
      dbpath: '/var/lib/rpm',
      spdx: JSON.parse(readFileSync(spdx, 'utf8')),
      cyclonedx: JSON.parse(readFileSync(cdx, 'utf8')),
    });
    expect(problems).toEqual([]);
  });
});
