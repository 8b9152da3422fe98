import { describe, expect, it } from 'vitest';
import { missingSourceReferences } from '../../src/manifest/missing-sources.js';
import { loadFile, loadText } from './inspect-helper.js';

const present = `sha256:${'1'.repeat(64)}`;
const absent = `sha256:${'0'.repeat(64)}`;

describe('missingSourceReferences', () => {
  it('names each v1 rpm package that no source has, with the path of options.packages', () => {
    const manifest = loadText(
      JSON.stringify({
        pipeline: { stages: [{ name: 'org.osbuild.rpm', options: { packages: [present, { checksum: absent, check_gpg: true }] } }] },
        sources: { 'org.osbuild.files': { urls: { [present]: 'http://127.0.0.1/x.rpm' } } },
      }),
    );
    expect(missingSourceReferences(manifest)).toEqual([
      { path: ['pipeline', 'stages', 0, 'options', 'packages'], message: `${absent} is not among the manifest's sources` },
    ]);
  });

  it('says so when the manifest has no sources at all', () => {
    const manifest = loadText(JSON.stringify({ pipeline: { stages: [{ name: 'org.osbuild.rpm', options: { packages: [absent] } }] } }));
    expect(missingSourceReferences(manifest)[0]?.message).toBe(`${absent} is not among the manifest's sources (the manifest has no sources)`);
  });

  it('finds nothing missing in the vectors that have their sources', () => {
    for (const name of ['v1-rpm-sources', 'v2-sources-inputs']) {
      expect(missingSourceReferences(loadFile(new URL(`../vectors/${name}.json`, import.meta.url).pathname)), name).toEqual([]);
    }
  });
});
