/**
 * The whole way through the real `osbuild` binary: a v2 manifest whose
 * org.osbuild.librepo items the depsolve command pinned, a stage that gets
 * the RPMs and the repository metadata through org.osbuild.files inputs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '@osbuild-ts/source-kit/testing';
import { depsolveBin, makeRepository, pinnedInputs, runNode, sha256, tempDir } from './helpers.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const osbuildBin = join(repoRoot, 'packages', 'cli', 'bin', 'osbuild.js');

const run = (bin: string, args: string[], cwd: string) => runNode(bin, args, cwd, { OSBUILD_DEBUG: '' });

/**
 * A project as a user would have it: this package and org.osbuild.copy
 * installed; org.osbuild.files (the input, which the engine implements
 * itself) from core's schema-only fixture, as the CLI's own tests do.
 */
function makeProject(): string {
  const project = tempDir('librepo-project-');
  const link = (name: string, dir: string) => {
    const at = join(project, 'node_modules', name);
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(dir, at);
  };
  link('@osbuild-ts/source-dnf', join(repoRoot, 'packages', 'source-dnf'));
  link('@osbuild-ts/stage-copy', join(repoRoot, 'packages', 'stage-copy'));
  link('@osbuild-ts-fixtures/input-files', join(repoRoot, 'packages', 'core', 'test', 'fixtures', 'plugins', 'input-files'));
  return project;
}

const TEMPLATE = {
  version: '2',
  pipelines: [
    {
      name: 'os',
      stages: [
        {
          type: 'org.osbuild.copy',
          inputs: pinnedInputs('os'),
          options: { paths: [{ from: 'input://rpms/', to: 'tree:///rpms' }, { from: 'input://repodata/', to: 'tree:///repodata' }] },
        },
      ],
    },
  ],
};

describe('org.osbuild.librepo in a build (osbuild CLI)', () => {
  beforeAll(() => {
    if (!existsSync(osbuildBin)) throw new Error(`build the CLI first: ${osbuildBin} is missing (pnpm --filter @osbuild-ts/cli build)`);
  });

  it('pins, fetches, verifies and hands the RPMs to a stage; rebuilds offline from the cache with the server gone', async () => {
    const repo = makeRepository();
    const server = await startTestServer({ root: repo.dir });
    const work = tempDir('librepo-build-');
    writeFileSync(join(work, 'template.json'), JSON.stringify(TEMPLATE));
    const pinned = await run(depsolveBin, ['-q', '--template', 'template.json', '--output', 'manifest.json', '--name', 'os', '--releasever', '40', '--baseurl', `fedora=${server.url}/`, 'osbt-hello'], work);
    expect(pinned.code, pinned.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8'));
    const items = manifest.sources['org.osbuild.librepo'].items as Record<string, { path: string }>;

    const project = makeProject();
    const store = tempDir('librepo-store-');
    const out = tempDir('librepo-out-');
    const build = (output: string, ...flags: string[]) =>
      run(osbuildBin, ['--libdir', project, '--store', store, '--export', 'os', '--output-directory', output, '--json', ...flags, join(work, 'manifest.json')], work);
    const first = await build(out);
    expect(first.code, first.stderr).toBe(0);
    const sources = JSON.parse(first.stdout).sources;
    expect(sources.success).toBe(true);
    expect(sources['org.osbuild.librepo']).toHaveLength(Object.keys(items).length);
    expect(sources['org.osbuild.librepo'].every((r: { cached: boolean }) => !r.cached)).toBe(true);

    // Each RPM reached the tree under its checksum, with exactly the bytes the repository holds.
    const rpms = readdirSync(join(out, 'os', 'rpms')).sort();
    const wanted = ['osbt-data', 'osbt-greeting', 'osbt-hello'].map((name) => repo.rpm(name));
    expect(rpms).toEqual(wanted.map((r) => r.checksum).sort());
    for (const rpm of wanted) expect(sha256(readFileSync(join(out, 'os', 'rpms', rpm.checksum)))).toBe(rpm.checksum);
    // And the metadata: repomd.xml as served, primary by the checksum repomd gives.
    const metadata = readdirSync(join(out, 'os', 'repodata'));
    expect(metadata).toContain(sha256(repo.repomd));
    for (const name of metadata) expect(sha256(readFileSync(join(out, 'os', 'repodata', name)))).toBe(name);
    const fetched = server.requests.length;

    await server.close();
    const offlineOut = tempDir('librepo-out-');
    const again = await build(offlineOut, '--offline');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).sources['org.osbuild.librepo'].every((r: { cached: boolean }) => r.cached)).toBe(true);
    expect(readdirSync(join(offlineOut, 'os', 'rpms')).sort()).toEqual(rpms);
    expect(server.requests.length).toBe(fetched);
  });

  it('a tampered RPM fails the build, naming the item, the URL and both checksums', async () => {
    const repo = makeRepository(['osbt-data']);
    const data = repo.rpm('osbt-data');
    const tampered = Buffer.concat([data.bytes, Buffer.from('x')]);
    const server = await startTestServer({ root: repo.dir, files: { [`/${data.path}`]: tampered } });
    const work = tempDir('librepo-build-');
    const manifest = {
      version: '2',
      sources: { 'org.osbuild.librepo': { items: { [data.checksum]: { path: data.path, mirror: 'fedora' } }, options: { mirrors: { fedora: { url: server.url, type: 'baseurl' } } } } },
      pipelines: [{ name: 'os' }],
    };
    writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest));
    const r = await run(osbuildBin, ['--libdir', makeProject(), '--store', tempDir('librepo-store-'), join(work, 'manifest.json')], work);
    expect(r.code).toBe(1);
    const actual = sha256(tampered);
    expect(r.stderr).toContain(`source org.osbuild.librepo: item ${data.checksum}: checksum mismatch: ${server.url}/${data.path} served ${actual}, expected ${data.checksum}`);
  });

  it('--offline with an item missing fails before anything runs, naming it', async () => {
    const work = tempDir('librepo-build-');
    const missing = `sha256:${'0'.repeat(64)}`;
    writeFileSync(
      join(work, 'manifest.json'),
      JSON.stringify({
        version: '2',
        sources: { 'org.osbuild.librepo': { items: { [missing]: { path: 'Packages/m/missing.rpm', mirror: 'm' } }, options: { mirrors: { m: { url: 'http://127.0.0.1:9/', type: 'baseurl' } } } } },
        pipelines: [{ name: 'os' }],
      }),
    );
    const r = await run(osbuildBin, ['--libdir', makeProject(), '--store', tempDir('librepo-store-'), '--offline', join(work, 'manifest.json')], work);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`org.osbuild.librepo ${missing}`);
  });

  it('the manifest is checked against the schema: an item without a mirror is refused before fetching', async () => {
    const work = tempDir('librepo-build-');
    writeFileSync(
      join(work, 'manifest.json'),
      JSON.stringify({
        version: '2',
        sources: { 'org.osbuild.librepo': { items: { [`sha256:${'1'.repeat(64)}`]: { path: 'a.rpm' } }, options: { mirrors: {} } } },
        pipelines: [{ name: 'os' }],
      }),
    );
    const r = await run(osbuildBin, ['--libdir', makeProject(), '--store', tempDir('librepo-store-'), join(work, 'manifest.json')], work);
    // As osbuild, validation problems go to stdout.
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('missing required property "mirror"');
    expect(r.stdout).toContain('checked by @osbuild-ts/source-dnf');
  });
});
