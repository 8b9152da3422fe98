// --sbom's documents from a manifest and stage metadata shaped as the
// Debian and rpm stages write them: what goes in (the export's content
// pipelines, not build roots; the last listing of a pipeline; checksums and
// download locations from the sources), and the documents validated
// against the formats' schemas: CycloneDX 1.5 with the official schema that
// @cyclonedx/cyclonedx-library ships; SPDX 2.3 against the rules of its
// specification that a JSON schema would check (no npm package ships the
// SPDX 2.3 JSON schema; see README).
import { describe, expect, it } from 'vitest';
import { loadManifest, parsePyJson } from '@osbuild-ts/core';
import { collectSbom } from '../src/sbom/collect.js';
import { cyclonedxDocument, spdxDocument } from '../src/sbom/documents.js';
import { cyclonedxValidator, spdxProblems } from './sbom-schemas.js';

const sha = (c: string) => c.repeat(64);

const manifest = loadManifest(parsePyJson(JSON.stringify({
  version: '2',
  pipelines: [
    { name: 'buildroot', stages: [{ type: 'io.github.osbuild-ts.debian.rootfs', options: { suite: 'bookworm' }, inputs: { debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [`sha256:${sha('9')}`]: {} } } } }] },
    {
      name: 'os',
      build: 'name:buildroot',
      stages: [
        { type: 'io.github.osbuild-ts.debian.rootfs', options: { suite: 'bookworm' }, inputs: { debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [`sha256:${sha('a')}`]: {}, [`sha256:${sha('b')}`]: {} } } } },
        { type: 'io.github.osbuild-ts.debian.install', options: {}, inputs: { debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [`sha256:${sha('c')}`]: {} } } } },
        { type: 'org.osbuild.rpm', options: {}, inputs: { packages: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [`sha256:${sha('d')}`]: { metadata: { 'rpm.nevra': 'hello-app-0:1.0-1.noarch' } }, [`sha256:${sha('e')}`]: {} } } } },
      ],
    },
    { name: 'image', build: 'name:buildroot', stages: [{ type: 'io.github.osbuild-ts.disk-image', options: {}, inputs: { tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } } }] },
  ],
  sources: {
    'org.osbuild.curl': { items: {
      [`sha256:${sha('9')}`]: 'http://deb.example/pool/m/make/make_4.3-4.1_amd64.deb',
      [`sha256:${sha('a')}`]: 'http://deb.example/pool/b/bash/bash_5.2.15-2%2Bb2_amd64.deb',
      [`sha256:${sha('b')}`]: { url: 'http://deb.example/pool/libc6_2.36-9_amd64.deb' },
      [`sha256:${sha('c')}`]: 'http://deb.example/pool/vim_9.0_amd64.deb',
    } },
    'org.osbuild.librepo': { items: {
      [`sha256:${sha('d')}`]: { path: 'Packages/hello-app-1.0-1.noarch.rpm', mirror: 'local' },
      [`sha256:${sha('e')}`]: { path: 'Packages/hello-lib-2.0-1.x86_64.rpm', mirror: 'local' },
    }, options: { mirrors: { local: { type: 'baseurl', url: 'http://127.0.0.1:8080/' } } } },
  },
}), 'm.json'));

const deb = (name: string, version: string, checksum: string | null, source = name) => ({ name, version, architecture: 'amd64', source, source_version: version, checksum });
const rpm = (name: string, version: string, release: string, arch: string, epoch: string | null = null) => ({ name, version, release, epoch, arch, sigmd5: 'x', sha1header: null, sha256header: null, sha3_256header: null, sigpgp: null, siggpg: null });
const records = [
  { pipeline: 'buildroot', index: 0, metadata: { packages: [deb('make', '4.3-4.1', `sha256:${sha('9')}`)] } },
  { pipeline: 'os', index: 0, metadata: { packages: [deb('bash', '5.2.15-2+b2', `sha256:${sha('a')}`), deb('libc6', '2.36-9', `sha256:${sha('b')}`, 'glibc')] } },
  // The install stage lists every installed package; only its own input's checksums are known to it.
  { pipeline: 'os', index: 1, metadata: { packages: [deb('bash', '5.2.15-2+b2', null), deb('libc6', '2.36-9', null, 'glibc'), deb('vim', '2:9.0', `sha256:${sha('c')}`)] } },
  { pipeline: 'os', index: 2, metadata: { packages: [rpm('hello-app', '1.0', '1', 'noarch'), rpm('hello-lib', '2.0', '1', 'x86_64', '3')] } },
  { pipeline: 'image', index: 0, metadata: null },
];

describe('collectSbom', () => {
  const input = collectSbom(manifest, 'm.json', records, ['image']);
  const packages = input.exports[0]!.packages;

  it("lists the export's content pipelines' packages: the last listing of each kind, not the build root's", () => {
    expect(packages.map((p) => p.purl)).toEqual([
      'pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64',
      'pkg:deb/debian/libc6@2.36-9?arch=amd64',
      'pkg:deb/debian/vim@2%3A9.0?arch=amd64',
      'pkg:rpm/hello-app@1.0-1?arch=noarch',
      'pkg:rpm/hello-lib@2.0-1?arch=x86_64&epoch=3',
    ]);
  });

  it('takes checksums from any stage that had the .deb, locations from curl and librepo sources', () => {
    const by = Object.fromEntries(packages.map((p) => [p.name, p]));
    expect(by.bash).toMatchObject({ sha256: sha('a'), downloadLocation: 'http://deb.example/pool/b/bash/bash_5.2.15-2%2Bb2_amd64.deb', source: { name: 'bash', version: '5.2.15-2+b2' } });
    expect(by.libc6).toMatchObject({ sha256: sha('b'), downloadLocation: 'http://deb.example/pool/libc6_2.36-9_amd64.deb', source: { name: 'glibc' } });
    expect(by.vim).toMatchObject({ sha256: sha('c') });
    // By the reference's rpm.nevra, and by the file name of the URL.
    expect(by['hello-app']).toMatchObject({ sha256: sha('d'), downloadLocation: 'http://127.0.0.1:8080/Packages/hello-app-1.0-1.noarch.rpm' });
    expect(by['hello-lib']).toMatchObject({ sha256: sha('e'), epoch: '3' });
  });

  it('is the same document for the same build: time from SOURCE_DATE_EPOCH, ids from the pipelines', () => {
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const a = spdxDocument(collectSbom(manifest, 'm.json', records, ['image']));
      const b = spdxDocument(collectSbom(manifest, 'm.json', [...records].reverse(), ['image']));
      expect(a).toEqual(b);
      expect((a.creationInfo as { created: string }).created).toBe('2023-11-14T22:13:20Z');
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  });
});

describe('the documents', () => {
  const input = collectSbom(manifest, 'm.json', records, ['image', 'os']);
  it('CycloneDX 1.5: valid against the official JSON schema', () => {
    const validate = cyclonedxValidator();
    const doc = cyclonedxDocument(input);
    expect(validate(doc), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect((doc.components as { purl?: string }[]).filter((c) => c.purl).length).toBe(5);
    // The schema is really applied: a BOM without its format is refused.
    expect(validate({ ...doc, bomFormat: 'SPDX' })).toBe(false);
  });
  it('SPDX 2.3: the fields and references the specification requires', () => {
    const doc = spdxDocument(input);
    expect(spdxProblems(doc)).toEqual([]);
    // Two exports, one set of packages: each listed once, contained by both.
    expect((doc.packages as unknown[]).length).toBe(2 + 5);
    expect((doc.relationships as { relationshipType: string }[]).filter((r) => r.relationshipType === 'CONTAINS').length).toBe(10);
    expect(spdxProblems({ ...doc, packages: [{ SPDXID: 'bad id' }] }).length).toBeGreaterThan(0);
  });
});

describe('osbuild --sbom (the binary)', () => {
  it('writes the document after a build (again from the store), and wants an export', async () => {
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { osbuild } = await import('./run-cli.js');
    const { makeProject } = await import('./project.js');
    const dir = mkdtempSync(join(tmpdir(), 'osbuild-sbom-'));
    const project = makeProject();
    try {
      const manifestFile = join(dir, 'm.json');
      writeFileSync(manifestFile, JSON.stringify({ version: '2', pipelines: [{ name: 'image', stages: [{ type: 'org.osbuild.truncate', options: { filename: 'disk.img', size: '1M' } }] }] }));
      const args = ['--libdir', project, '--store', join(dir, 'store'), '--export', 'image', '--output-directory', join(dir, 'out')];
      for (const format of ['spdx', 'cyclonedx', 'spdx']) {
        const file = join(dir, `sbom.${format}.json`);
        const r = await osbuild([...args, '--sbom', file, '--sbom-format', format, manifestFile]);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toContain(`wrote ${file} (${format}, 0 packages)`);
        const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        if (format === 'spdx') expect(spdxProblems(doc)).toEqual([]);
        else expect(cyclonedxValidator()(doc)).toBe(true);
      }
      const none = await osbuild(['--libdir', project, '--store', join(dir, 'store'), '--sbom', join(dir, 'x.json'), manifestFile]);
      expect(none.status).toBe(2);
      expect(none.stderr).toMatch(/--sbom describes the exported pipelines: give at least one --export/);
      const bad = await osbuild([...args, '--sbom', join(dir, 'x.json'), '--sbom-format', 'swid', manifestFile]);
      expect(bad.status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(project, { recursive: true, force: true });
    }
  });
});
