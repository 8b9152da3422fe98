/**
 * A private apt: its own sources, lists, cache and dpkg status, sharing only
 * the host's apt.conf.d (proxies, timeouts) and trusted keyrings. The host's
 * sources, pinning preferences and installed packages play no part.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';
import { errorLines, exec } from './exec.js';

export interface AptSource {
  uri: string;
  suite: string;
  components: string[];
  architecture: string;
  signedBy?: string;
  /** `Trusted: yes`: no signature check of the index. */
  trusted?: boolean;
}

export interface AptRoot {
  dir: string;
  source: AptSource;
  /** `-o` options for every apt-get/apt-cache call. */
  options: string[];
  /** An empty dpkg status file: nothing installed. */
  emptyStatus: string;
}

function sourcesFile(source: AptSource): string {
  const lines = [
    'Types: deb',
    `URIs: ${source.uri}`,
    `Suites: ${source.suite}`,
    `Components: ${source.components.join(' ')}`,
    `Architectures: ${source.architecture}`,
  ];
  if (source.trusted) lines.push('Trusted: yes');
  if (source.signedBy) {
    // An embedded key keeps its continuation lines; deb822 needs them indented.
    const [first = '', ...rest] = source.signedBy.split('\n');
    lines.push(`Signed-By: ${[first, ...rest.map((l) => (/^\s/.test(l) ? l : ` ${l}`))].join('\n')}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/** The apt root for a source under `cacheDir`, kept between runs so an unchanged index is not fetched again. */
export function aptRoot(cacheDir: string, source: AptSource): AptRoot {
  const text = sourcesFile(source);
  const key = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const dir = join(cacheDir, key);
  for (const sub of ['state/lists/partial', 'cache/archives/partial', 'etc/sources.list.d', 'etc/preferences.d']) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  writeFileSync(join(dir, 'etc/sources.list.d/pin.sources'), text);
  writeFileSync(join(dir, 'etc/sources.list'), '');
  const emptyStatus = join(dir, 'state/status');
  writeFileSync(emptyStatus, '');
  const options = [
    `Dir::State=${dir}/state`,
    `Dir::State::status=${emptyStatus}`,
    `Dir::Cache=${dir}/cache`,
    // The parsed index is cached (it only changes with update); the full cache
    // is not, because every resolution step uses another status file.
    'Dir::Cache::pkgcache=',
    'Dir::Cache::srcpkgcache=srcpkgcache.bin',
    `Dir::Etc::sourcelist=${dir}/etc/sources.list`,
    `Dir::Etc::sourceparts=${dir}/etc/sources.list.d`,
    `Dir::Etc::preferences=${dir}/etc/preferences`,
    `Dir::Etc::preferencesparts=${dir}/etc/preferences.d`,
    `APT::Architecture=${source.architecture}`,
    `APT::Architectures=${source.architecture}`,
    'APT::Install-Recommends=false',
    'APT::Install-Suggests=false',
    'Acquire::Languages=none',
    // apt counts itself as essential unless told otherwise; mmdebstrap tells it
    // (its variants choose apt through priorities), so the sets agree.
    'pkgCacheGen::ForceEssential=,',
  ].flatMap((o) => ['-o', o]);
  return { dir, source, options, emptyStatus };
}

/** `apt-get update` of the private root: Release verified against the keyring, then the Packages index. */
export async function aptUpdate(root: AptRoot): Promise<void> {
  const result = await exec('apt-get', [...root.options, '--error-on=any', '-q', 'update']);
  if (result.code !== 0) {
    const { uri, suite } = root.source;
    throw new OsbuildError('E_SOURCE_FETCH', `cannot read the index of ${suite} at ${uri}:\n${errorLines(result)}`, {
      hint: 'check the suite name, the mirror and that the host can reach it (apt-get update)',
    });
  }
}

/** Whether an earlier update left a Packages index in the root. */
export function hasIndex(root: AptRoot): boolean {
  return readdirSync(join(root.dir, 'state/lists')).some((f) => f.includes('_Packages'));
}
