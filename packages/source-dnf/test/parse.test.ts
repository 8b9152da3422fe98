import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { parseDescription, substitute } from '../src/description.js';
import { parseMetalink } from '../src/metalink.js';
import { parseMirrorlist } from '../src/mirrorlist.js';
import { parseMirrors } from '../src/options.js';
import { baseArch } from '../src/pin.js';
import { metadataForDnf, parseRepomd } from '../src/repomd.js';

describe('@osbuild-ts/source-dnf', () => {
  it('exports exactly its API', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'METADATA',
        'PACKAGES_PLACEHOLDER',
        'REPODATA_PLACEHOLDER',
        'baseArch',
        'dnfPython',
        'fillTemplate',
        'librepoSource',
        'metadataForDnf',
        'nevra',
        'packageReferences',
        'parseDescription',
        'parseMetalink',
        'parseMirrorlist',
        'parseRepomd',
        'pin',
        'pinDocument',
        'repodataReferences',
        'runDnfDepsolve',
        'substitute',
        'templateNames',
      ].sort(),
    );
  });
});

describe('parseMetalink', () => {
  it("reads mirrormanager's metalink 3: mirrors by preference, repomd.xml hashes and alternates", () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<metalink version="3.0" xmlns="http://www.metalinker.org/" type="dynamic" xmlns:mm0="http://fedorahosted.org/mirrormanager">
 <files>
  <file name="other.xml"><resources><url>http://x/other.xml</url></resources></file>
  <file name="repomd.xml">
   <mm0:timestamp>1</mm0:timestamp>
   <size>10</size>
   <verification>
    <hash type="md5">${'a'.repeat(32)}</hash>
    <hash type="sha256">${'B'.repeat(64)}</hash>
   </verification>
   <mm0:alternates>
    <mm0:alternate><verification><hash type="sha256">${'c'.repeat(64)}</hash></verification></mm0:alternate>
   </mm0:alternates>
   <resources maxconnections="1">
    <url protocol="rsync" type="rsync" preference="100">rsync://m0/fedora/repodata/repomd.xml</url>
    <url protocol="http" type="http" preference="90">http://m1/fedora/repodata/repomd.xml</url>
    <url protocol="https" type="https" preference="99">https://m2/fedora/repodata/repomd.xml</url>
    <url protocol="https" type="https" preference="90">https://m3/f/repodata/repomd.xml</url>
   </resources>
  </file>
 </files>
</metalink>`;
    expect(parseMetalink(xml)).toEqual({
      bases: ['https://m2/fedora', 'http://m1/fedora', 'https://m3/f'],
      hashes: [{ md5: 'a'.repeat(32), sha256: 'b'.repeat(64) }, { sha256: 'c'.repeat(64) }],
    });
  });

  it('reads RFC 5854 metalink 4: priority, lower first; "sha-256" hash names', () => {
    const xml = `<?xml version="1.0"?>
<metalink xmlns="urn:ietf:params:xml:ns:metalink">
  <file name="repomd.xml">
    <hash type="sha-256">${'d'.repeat(64)}</hash>
    <url priority="2">http://b/repo/repodata/repomd.xml</url>
    <url priority="1">http://a/repo/repodata/repomd.xml</url>
  </file>
</metalink>`;
    expect(parseMetalink(xml)).toEqual({ bases: ['http://a/repo', 'http://b/repo'], hashes: [{ sha256: 'd'.repeat(64) }] });
  });

  it('says what is wrong', () => {
    expect(() => parseMetalink('<html>', 'm')).toThrow('m: not XML');
    expect(() => parseMetalink('<a/>', 'm')).toThrow('m: not a metalink (no <metalink> element)');
    expect(() => parseMetalink('<metalink><files><file name="x"/></files></metalink>', 'm')).toThrow('m: no <file name="repomd.xml">');
  });
});

describe('parseMirrorlist', () => {
  it('keeps http, https and file URLs, skipping comments and blanks', () => {
    expect(parseMirrorlist('# head\n\nhttp://a/x/\r\nrsync://b/x/\n  https://c/x/  \nftp://d/\nfile:///srv/x\nhttp://a/x/\n')).toEqual(['http://a/x/', 'https://c/x/', 'file:///srv/x']);
  });
});

describe('parseRepomd', () => {
  const repomd = (data: string) => `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm"><revision>1</revision>${data}</repomd>`;
  const entry = (type: string, sum = 'sha256', hex = '1'.repeat(64)) =>
    `<data type="${type}"><checksum type="${sum}">${hex}</checksum><open-checksum type="sha256">${'f'.repeat(64)}</open-checksum><location href="repodata/${type}.xml.gz"/><size>42</size></data>`;

  it('lists each file with its checksum (yum\'s "sha" is sha1) and location', () => {
    expect(parseRepomd(repomd(entry('primary') + entry('filelists', 'sha', '2'.repeat(40))))).toEqual([
      { type: 'primary', href: 'repodata/primary.xml.gz', checksum: `sha256:${'1'.repeat(64)}`, size: 42 },
      { type: 'filelists', href: 'repodata/filelists.xml.gz', checksum: `sha1:${'2'.repeat(40)}`, size: 42 },
    ]);
  });

  it('pins what dnf reads: comps compressed when there is a compressed one, no sqlite, zchunk or changelogs', () => {
    const types = ['primary', 'filelists', 'other', 'primary_db', 'primary_zck', 'group', 'group_gz', 'updateinfo', 'modules', 'prestodelta'];
    expect(metadataForDnf(parseRepomd(repomd(types.map((t) => entry(t)).join('')))).map((e) => e.type)).toEqual([
      'primary',
      'filelists',
      'group_gz',
      'updateinfo',
      'modules',
      'prestodelta',
    ]);
    expect(metadataForDnf(parseRepomd(repomd(entry('primary') + entry('group')))).map((e) => e.type)).toEqual(['primary', 'group']);
  });

  it('refuses what a librepo item cannot name', () => {
    expect(() => parseRepomd('<x/>', 'r')).toThrow('r: not a repomd.xml');
    expect(() => parseRepomd(repomd(entry('primary', 'crc32', 'abcd')), 'r')).toThrow('r: <data type="primary"> lacks a location or a checksum this tool knows');
    expect(() => parseRepomd(repomd('<data type="primary"><checksum type="sha256">ab</checksum><location xml:base="http://e/" href="p"/></data>'), 'r')).toThrow('location base');
  });
});

describe('descriptions', () => {
  it("substitutes dnf's variables, $name and ${name}, and leaves unknown ones", () => {
    expect(substitute('http://h/$releasever/${basearch}/os/$stream', { releasever: '40', basearch: 'x86_64' })).toBe('http://h/40/x86_64/os/$stream');
  });

  it('maps an arch to its basearch', () => {
    expect(['x86_64', 'i686', 'aarch64', 'armv7hl', 'ppc64le', 's390x', 'noarch'].map(baseArch)).toEqual(['x86_64', 'i386', 'aarch64', 'armhfp', 'ppc64le', 's390x', 'noarch']);
  });

  it('accepts a complete description', () => {
    const d = { releasever: '40', arch: 'aarch64', repositories: [{ id: 'fedora', metalink: 'https://h/metalink?repo=fedora-$releasever', insecure: true }], packages: ['bash'], exclude: ['x'], 'install-weak-deps': true };
    expect(parseDescription(d, 'd')).toEqual(d);
  });
});

describe('org.osbuild.librepo options', () => {
  it('reads the mirrors, as upstream\'s schema has them', () => {
    expect(parseMirrors({ mirrors: { 'f-1.x:y': { url: 'http://m/', type: 'mirrorlist', 'max-parallels': 2.5, 'fastest-mirror': true, insecure: true, secrets: { name: 'org.osbuild.mtls' } } } })).toEqual(
      new Map([['f-1.x:y', { id: 'f-1.x:y', url: 'http://m/', type: 'mirrorlist', insecure: true, maxParallels: 2, fastestMirror: true, secrets: 'org.osbuild.mtls' }]]),
    );
  });

  it('names the mirror and the problem', () => {
    expect(() => parseMirrors({ mirrors: { m: { url: 'http://m/', type: 'ftp' } } })).toThrow('mirrors.m: "type" must be one of baseurl, mirrorlist, metalink');
    expect(() => parseMirrors({ mirrors: { 'a b': { url: 'http://m/', type: 'baseurl' } } })).toThrow('mirrors.a b: a mirror id is made of letters');
    expect(() => parseMirrors({ mirrors: { m: { url: 'http://m/', type: 'baseurl', 'max-parallels': 0 } } })).toThrow('"max-parallels" must be a number ≥ 1');
  });
});
