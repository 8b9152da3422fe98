import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '@osbuild-ts/source-kit/testing';
import { runDnfDepsolve } from '../src/dnf-depsolve.js';
import { makeLocalRepository } from '../src/local-repo.js';
import { parseRepomd } from '../src/repomd.js';
import { depsolveBin, fetch, hangingUp, makeRepository, metalinkMirrors, pinnedInputs, runNode, sha256, tempDir, type TestRepository } from './helpers.js';

interface Reference {
  id: string;
  options: { metadata: Record<string, string> };
}

interface PinOutput {
  sources: { 'org.osbuild.librepo': { items: Record<string, { path: string; mirror: string }>; options: { mirrors: Record<string, { url: string; type: string }> } } };
  references: Record<string, Reference[]>;
  repodata: Record<string, Reference[]>;
}

const depsolve = (args: string[], cwd: string, env: Record<string, string> = {}) => runNode(depsolveBin, args, cwd, env);

/** What createrepo_c wrote into repomd.xml for a type: its checksum and location. */
function repomdEntry(repo: TestRepository, type: string) {
  return parseRepomd(repo.repomd.toString('utf8')).find((e) => e.type === type)!;
}

describe('osbuild-depsolve-dnf', () => {
  it('pins a package and its dependencies (a file dependency too) with the metadata dnf used', async () => {
    const repo = makeRepository();
    const server = await startTestServer({ root: repo.dir });
    const r = await depsolve(['--releasever', '40', '--baseurl', `local=${server.url}/`, 'osbt-hello'], tempDir('depsolve-'));
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PinOutput;
    const source = out.sources['org.osbuild.librepo'];
    expect(source.options.mirrors).toEqual({ local: { url: `${server.url}/`, type: 'baseurl' } });

    // osbt-hello → osbt-greeting (>= 2.0) → /usr/share/osbt/data, which only filelists tells is osbt-data's.
    const wanted = ['osbt-data', 'osbt-greeting', 'osbt-hello'].map((name) => repo.rpm(name));
    expect(out.references['packages']).toEqual(
      wanted.map((rpm) => ({
        id: rpm.checksum,
        options: { metadata: { 'rpm.nevra': expect.stringMatching(new RegExp(`^${rpm.name}-\\d+:`)), 'dnf.repo': 'local', 'dnf.path': rpm.path } },
      })),
    );
    expect(out.references['packages']!.map((ref) => ref.options.metadata['rpm.nevra'])).toEqual([
      'osbt-data-0:0.5-1.noarch',
      'osbt-greeting-1:2.1-3.noarch',
      'osbt-hello-0:1.0-1.noarch',
    ]);
    for (const rpm of wanted) expect(source.items[rpm.checksum]).toEqual({ path: rpm.path, mirror: 'local' });
    expect(JSON.stringify(out)).not.toContain('osbt-unrelated');

    // The metadata: repomd.xml by its own checksum, then what it lists by the checksums it gives.
    const primary = repomdEntry(repo, 'primary');
    const filelists = repomdEntry(repo, 'filelists');
    expect(out.repodata['packages']).toEqual([
      { id: sha256(repo.repomd), options: { metadata: { 'dnf.repo': 'local', 'dnf.path': 'repodata/repomd.xml', 'dnf.type': 'repomd' } } },
      { id: primary.checksum, options: { metadata: { 'dnf.repo': 'local', 'dnf.path': primary.href, 'dnf.type': 'primary' } } },
      { id: filelists.checksum, options: { metadata: { 'dnf.repo': 'local', 'dnf.path': filelists.href, 'dnf.type': 'filelists' } } },
    ]);
    for (const ref of out.repodata['packages']!) expect(source.items[ref.id]).toEqual({ path: ref.options.metadata['dnf.path'], mirror: 'local' });
    // `other` (changelogs) is not read by dnf, so not pinned.
    expect(Object.values(source.items).some((item) => item.path.includes('-other.'))).toBe(false);
    expect(r.stderr).toContain('packages: 3 packages');
  });

  it('--cache-dir: a second pin fetches only repomd.xml when it has not changed', async () => {
    const repo = makeRepository(['osbt-data']);
    const server = await startTestServer({ root: repo.dir });
    const dir = tempDir('depsolve-');
    const args = ['-q', '--cache-dir', join(dir, 'cache'), '--releasever', '40', '--baseurl', `local=${server.url}`, 'osbt-data'];
    const first = await depsolve(args, dir);
    expect(first.code, first.stderr).toBe(0);
    expect(server.requests.map((r) => r.url).sort()).toEqual(['/repodata/repomd.xml', `/${repomdEntry(repo, 'filelists').href}`, `/${repomdEntry(repo, 'primary').href}`].sort());
    const second = await depsolve(args, dir);
    expect(second.stdout).toBe(first.stdout);
    expect(server.requests.slice(3).map((r) => r.url)).toEqual(['/repodata/repomd.xml']);
  });

  it('exits 2 naming every package no repository has', async () => {
    const repo = makeRepository();
    const server = await startTestServer({ root: repo.dir });
    const r = await depsolve(['-q', '--releasever', '40', '--baseurl', `local=${server.url}`, 'osbt-hello', 'osbt-nope', 'osbt-nada'], tempDir('depsolve-'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('osbuild-depsolve-dnf: no package matches osbt-nope, osbt-nada');
    expect(r.stdout).toBe('');
  });

  it('exits 2 when the dependencies cannot be met, naming what is missing', async () => {
    const repo = makeRepository(['osbt-hello', 'osbt-data']);
    const server = await startTestServer({ root: repo.dir });
    const r = await depsolve(['-q', '--releasever', '40', '--baseurl', `local=${server.url}`, 'osbt-hello'], tempDir('depsolve-'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('osbt-greeting >= 2.0');
  });

  it('without dnf it says what to install', async () => {
    const repo = makeRepository(['osbt-data']);
    const server = await startTestServer({ root: repo.dir });
    const r = await depsolve(['-q', '--releasever', '40', '--baseurl', `local=${server.url}`, 'osbt-data'], tempDir('depsolve-'), { OSBUILD_DEPSOLVE_PYTHON: '/nonexistent/python3' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('osbuild-depsolve-dnf: cannot run /nonexistent/python3 for dnf');
    expect(r.stderr).toContain('hint: Install dnf and its Python bindings (Debian: apt-get install dnf python3-dnf).');
  });

  it('usage problems exit 2 before anything is fetched', async () => {
    const dir = tempDir('depsolve-');
    expect(await depsolve([], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('no description given') });
    expect(await depsolve(['--help'], dir)).toMatchObject({ code: 0, stdout: expect.stringContaining('usage: osbuild-depsolve-dnf') });
    expect(await depsolve(['--baseurl', 'x=http://127.0.0.1:9/', 'foo'], dir)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('the command line: invalid description:\n  .releasever: required'),
    });
    expect(await depsolve(['--releasever', '40', '--baseurl', 'http://127.0.0.1:9/', 'foo'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('expected ID=URL') });
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ releasever: 40, repositories: [{ id: 'a b', baseurl: 'x', metalink: 'y' }], packages: [], extra: 1 }));
    const bad = await depsolve(['d.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      [
        'd.json: invalid description:',
        '  .extra: unknown property (known: releasever, arch, repositories, packages, exclude, install-weak-deps)',
        '  .releasever: required, a non-empty string such as "40"',
        '  .packages: required, a non-empty array of package specs',
        '  .repositories[0].id: required, letters, digits and - . _ :',
        '  .repositories[0]: exactly one of baseurl, mirrorlist, metalink (got baseurl and metalink)',
        '  .repositories[0].baseurl: an http, https or file URL',
        '  .repositories[0].metalink: an http, https or file URL',
      ].join('\n'),
    );
  });

  it('fills a template from a description (variables substituted), the same bytes every time', async () => {
    const repo = makeRepository();
    // Served as <url>/40/x86_64/, as `$releasever/$basearch` says.
    const root = tempDir('depsolve-root-');
    mkdirSync(join(root, '40'));
    renameSync(repo.dir, join(root, '40', 'x86_64'));
    const server = await startTestServer({ root });
    const dir = tempDir('depsolve-');
    writeFileSync(
      join(dir, 'os.json'),
      JSON.stringify({ releasever: '40', arch: 'x86_64', repositories: [{ id: 'base', baseurl: `${server.url}/$releasever/$basearch/` }], packages: ['osbt-greeting'] }),
    );
    const template = {
      version: '2',
      sources: { 'org.osbuild.librepo': { items: {}, options: { mirrors: { other: { url: 'http://127.0.0.1:9/', type: 'baseurl' } } } } },
      pipelines: [
        {
          name: 'os',
          stages: [
            {
              type: 'org.osbuild.copy',
              inputs: pinnedInputs('os'),
              options: { paths: [] },
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 't.json'), JSON.stringify(template));
    const first = await depsolve(['-q', '--template', 't.json', '--output', 'm1.json', 'os.json'], dir);
    expect(first.code, first.stderr).toBe(0);
    const second = await depsolve(['-q', '--template', 't.json', '--output', 'm2.json', 'os.json'], dir);
    expect(second.code, second.stderr).toBe(0);
    const text = readFileSync(join(dir, 'm1.json'), 'utf8');
    expect(readFileSync(join(dir, 'm2.json'), 'utf8')).toBe(text);

    const manifest = JSON.parse(text);
    const source = manifest.sources['org.osbuild.librepo'];
    expect(source.options.mirrors).toEqual({ other: { url: 'http://127.0.0.1:9/', type: 'baseurl' }, base: { url: `${server.url}/40/x86_64/`, type: 'baseurl' } });
    const inputs = manifest.pipelines[0].stages[0].inputs;
    expect(inputs.rpms.references.map((r: Reference) => r.options.metadata['rpm.nevra'])).toEqual(['osbt-data-0:0.5-1.noarch', 'osbt-greeting-1:2.1-3.noarch']);
    expect(inputs.repodata.references.map((r: Reference) => r.options.metadata['dnf.type'])).toEqual(['repomd', 'primary', 'filelists']);
    expect(Object.keys(source.items).sort()).toEqual([...inputs.rpms.references, ...inputs.repodata.references].map((r: Reference) => r.id).sort());
  });

  it('refuses a template whose mirror of the same id points elsewhere', async () => {
    const repo = makeRepository(['osbt-data']);
    const server = await startTestServer({ root: repo.dir });
    const dir = tempDir('depsolve-');
    writeFileSync(join(dir, 't.json'), JSON.stringify({ sources: { 'org.osbuild.librepo': { options: { mirrors: { base: { url: 'http://127.0.0.1:9/', type: 'baseurl' } } } } }, r: { 'osbuild-ts:dnf-depsolve': 'packages' } }));
    const r = await depsolve(['-q', '--template', 't.json', '--releasever', '1', '--baseurl', `base=${server.url}`, 'osbt-data'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`template.sources["org.osbuild.librepo"].options.mirrors.base is baseurl http://127.0.0.1:9/, but the repository base is baseurl ${server.url}`);
  });

  it('metalink: pins the repomd.xml the metalink lists, skipping a mirror that serves an old one; the mirror is the metalink', async () => {
    const { repo, server } = await metalinkMirrors({ staleFirst: true });
    const r = await depsolve(['--releasever', '40', '--metalink', `fedora=${server.url}/metalink?repo=fedora-$releasever&arch=$basearch`, 'osbt-data'], tempDir('depsolve-'));
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PinOutput;
    expect(out.sources['org.osbuild.librepo'].options.mirrors).toEqual({ fedora: { url: expect.stringMatching(new RegExp(`^${server.url}/metalink\\?repo=fedora-40&arch=`)), type: 'metalink' } });
    expect(out.repodata['packages']![0]!.id).toBe(sha256(repo.repomd));
    expect(r.stderr).toContain(`repository fedora: repomd.xml from ${server.url}`);
  });

  it('mirrorlist: a mirror that is down is skipped', async () => {
    const repo = makeRepository(['osbt-data']);
    const dead = await hangingUp();
    const server = await startTestServer({ root: repo.dir });
    server.files.set('/mirrorlist', Buffer.from(`http://127.0.0.1:${dead.port}/\n${server.url}/\n`));
    const r = await depsolve(['--releasever', '40', '--mirrorlist', `m=${server.url}/mirrorlist`, 'osbt-data'], tempDir('depsolve-'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`repository m: repomd.xml from ${server.url}/`);
    expect((JSON.parse(r.stdout) as PinOutput).references['packages']!.map((ref) => ref.id)).toEqual([repo.rpm('osbt-data').checksum]);
  });

  it('what it pins is enough: fetched by org.osbuild.librepo, laid out as a local repository, dnf resolves the same set offline', async () => {
    const repo = makeRepository();
    const server = await startTestServer({ root: repo.dir });
    const pinned = await depsolve(['-q', '--releasever', '40', '--baseurl', `local=${server.url}`, 'osbt-hello'], tempDir('depsolve-'));
    expect(pinned.code, pinned.stderr).toBe(0);
    const out = JSON.parse(pinned.stdout) as PinOutput;
    const source = out.sources['org.osbuild.librepo'];
    const run = await fetch(source.items, source.options);
    expect(run.exitCode).toBe(0);
    await server.close();

    // As a stage would see it: the input directory (files by checksum) and the references' metadata.
    const refs = [...out.references['packages']!, ...out.repodata['packages']!];
    const local = tempDir('depsolve-local-');
    const { repositories, repoFile } = await makeLocalRepository({
      inputDir: run.cache,
      files: Object.fromEntries(refs.map((ref) => [ref.id, ref.options.metadata])),
      dir: local,
    });
    expect(repositories.map((r) => r.id)).toEqual(['local']);
    expect(readFileSync(repoFile, 'utf8')).toContain(`[local]\nname=local\nbaseurl=file://${local}/local\n`);
    const again = await runDnfDepsolve({
      root: tempDir('dnf-root-'),
      cachedir: tempDir('dnf-cache-'),
      releasever: '40',
      arch: 'x86_64',
      repositories: repositories.map((r) => ({ id: r.id, baseurl: r.baseurl })),
      packages: ['osbt-hello'],
      exclude: [],
      installWeakDeps: false,
    });
    expect(again.map((p) => p.checksum)).toEqual(out.references['packages']!.map((ref) => ref.id));
  });
});
