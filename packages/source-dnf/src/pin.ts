/**
 * Pins descriptions: for each, fetch every repository's metadata (pinning
 * repomd.xml and the files it lists), resolve the packages with dnf against
 * those local copies, and name each package by the checksum the metadata
 * gives for it.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { machine, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';
import { createAgents, createHostHealth, parseDownloadOverrides, userAgent, type DownloadOverrides } from '@osbuild-ts/source-kit/download';
import { repositoryMirror, type Description } from './description.js';
import { runDnfDepsolve } from './dnf-depsolve.js';
import { nevra, type Nevra } from './nevra.js';
import type { Mirror } from './options.js';
import { fetchRepositoryMetadata, type PinnedFile } from './repository-metadata.js';

export interface PinnedPackage extends Nevra {
  /** The repository id, which is the mirror id of the librepo item. */
  repo: string;
  /** Relative to the repository base. */
  path: string;
  checksum: string;
  size: number;
}

export interface PinnedRepository {
  id: string;
  /** The `org.osbuild.librepo` mirror: `{url, type, insecure?}`. */
  mirror: { url: string; type: Mirror['type']; insecure?: true };
  /** repomd.xml, then the metadata files dnf read. */
  metadata: PinnedFile[];
}

export interface PinnedSet {
  name: string;
  description: Description;
  repositories: PinnedRepository[];
  /** Sorted by name, then version, then architecture (dnf's order of the transaction). */
  packages: PinnedPackage[];
}

export interface PinOptions {
  /** Metadata files by checksum, kept between runs (default: a temporary directory). */
  cacheDir?: string;
  /** Overrides every description's `releasever`. */
  releasever?: string;
  /** Overrides every description's `arch`. */
  arch?: string;
  /** The download engine's knobs, as in the `org.osbuild.librepo` section of a source overrides file. */
  overrides?: unknown;
  log?: (line: string) => void;
}

const LIBREPO_ALGORITHMS = /^(sha1|sha256|sha384|sha512):/;

export async function pin(descriptions: ReadonlyMap<string, Description>, options: PinOptions = {}): Promise<Map<string, PinnedSet>> {
  const log = options.log ?? (() => undefined);
  const overrides: DownloadOverrides = parseDownloadOverrides(options.overrides, { source: 'org.osbuild.librepo' });
  const work = await mkdtemp(join(tmpdir(), 'osbuild-depsolve-'));
  const cache = options.cacheDir ?? join(work, 'cache');
  await mkdir(cache, { recursive: true });
  const tmp = await mkdtemp(join(cache, '.tmp-'));
  const agents = createAgents(4);
  const sets = new Map<string, PinnedSet>();
  try {
    const ctx = { overrides, agents, userAgent: userAgent(), cache, tmp, offline: false, health: createHostHealth(), log };
    for (const [name, description] of descriptions) {
      const releasever = options.releasever ?? description.releasever;
      const arch = options.arch ?? description.arch ?? machine();
      const variables = { releasever, arch, basearch: baseArch(arch) };
      const repositories: PinnedRepository[] = [];
      const local: { id: string; baseurl: string }[] = [];
      for (const [index, repository] of description.repositories.entries()) {
        const { type, url } = repositoryMirror(repository, variables);
        const mirror: Mirror = { id: repository.id, url, type, insecure: repository.insecure === true, maxParallels: undefined, fastestMirror: false, secrets: undefined };
        log(`${name}: repository ${repository.id}: ${type} ${url}`);
        const fetched = await fetchRepositoryMetadata(mirror, join(work, name.replace(/[^\w.-]/g, '_'), String(index)), ctx);
        repositories.push({ id: repository.id, mirror: { url, type, ...(mirror.insecure ? { insecure: true as const } : {}) }, metadata: fetched.files });
        local.push({ id: repository.id, baseurl: `file://${fetched.dir}` });
      }
      log(`${name}: resolving ${description.packages.join(' ')} (releasever ${releasever}, ${arch})`);
      const resolved = await runDnfDepsolve(
        {
          root: await mkdtemp(join(work, 'root-')),
          cachedir: await mkdtemp(join(work, 'dnf-cache-')),
          releasever,
          arch,
          repositories: local,
          packages: description.packages,
          exclude: description.exclude ?? [],
          installWeakDeps: description['install-weak-deps'] === true,
        },
        log,
      );
      const packages = resolved.map((p) => {
        if (p.base !== null) throw new OsbuildError('E_SOURCE_FETCH', `${name}: ${nevra(p)} lives at ${p.base} (location xml:base), outside its repository; librepo items cannot name it`);
        if (p.checksum === null || !LIBREPO_ALGORITHMS.test(p.checksum)) {
          throw new OsbuildError('E_SOURCE_FETCH', `${name}: ${nevra(p)}: the metadata gives no sha1/sha256/sha384/sha512 checksum (${p.checksum ?? 'none'})`);
        }
        return { name: p.name, epoch: p.epoch, version: p.version, release: p.release, arch: p.arch, repo: p.repo, path: p.location, checksum: p.checksum, size: p.size };
      });
      for (const repository of repositories) {
        for (const file of repository.metadata) {
          if (!LIBREPO_ALGORITHMS.test(file.checksum)) throw new OsbuildError('E_SOURCE_FETCH', `${name}: repository ${repository.id}: ${file.path} has only a ${file.checksum.split(':')[0]} checksum, which org.osbuild.librepo items cannot use`);
        }
      }
      log(`${name}: ${packages.length} packages`);
      sets.set(name, { name, description, repositories, packages });
    }
    return sets;
  } finally {
    agents.destroy();
    await rm(tmp, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
}

/** dnf's `basearch` for an `arch` (the common cases of `dnf.rpm.basearch`). */
export function baseArch(arch: string): string {
  if (/^i[3-6]86$|^athlon$|^geode$/.test(arch)) return 'i386';
  if (/^armv[5-7]/.test(arch)) return arch.includes('hl') || arch.includes('hnl') ? 'armhfp' : 'arm';
  if (arch === 'amd64' || arch === 'x86_64_v2' || arch === 'x86_64_v3' || arch === 'x86_64_v4') return 'x86_64';
  if (arch === 'ppc64pseries' || arch === 'ppc64iseries') return 'ppc64';
  return arch;
}
