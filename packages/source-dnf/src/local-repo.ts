/**
 * For stages: a local dnf repository from an `org.osbuild.files` input
 * filled by `osbuild-depsolve-dnf` references. Each reference whose metadata
 * has `dnf.repo` and `dnf.path` is linked at `<dir>/<repo>/<path>` (the
 * repository metadata from `{"osbuild-ts:dnf-repodata": …}`, the RPMs from
 * `{"osbuild-ts:dnf-depsolve": …}`), and a `.repo` file points dnf at each
 * repository by `file://` URL. Nothing is fetched: the files were verified
 * by checksum when the source fetched them.
 */
import { mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { METADATA } from './manifest.js';

export interface LocalRepoOptions {
  /** The input's directory: one file per checksum. */
  inputDir: string;
  /** The input's `data.files`: checksum → metadata. */
  files: Record<string, Record<string, unknown> | undefined>;
  /** Where to lay out the repositories and write `osbuild-ts.repo`. */
  dir: string;
}

export interface LocalRepository {
  id: string;
  /** `file://<dir>/<id>` */
  baseurl: string;
  /** Files linked into it (relative paths). */
  paths: string[];
}

export async function makeLocalRepository({ inputDir, files, dir }: LocalRepoOptions): Promise<{ repositories: LocalRepository[]; repoFile: string }> {
  const repositories = new Map<string, LocalRepository>();
  for (const [checksum, metadata] of Object.entries(files)) {
    const repo = metadata?.[METADATA.repo];
    const path = metadata?.[METADATA.path];
    if (typeof repo !== 'string' || typeof path !== 'string') continue;
    if (!/^[0-9a-zA-Z-._:]+$/.test(repo)) throw new Error(`${checksum}: ${METADATA.repo} ${JSON.stringify(repo)} is not a repository id`);
    const relative = posix.normalize(path);
    if (relative.startsWith('../') || relative.startsWith('/') || relative === '..') throw new Error(`${checksum}: ${METADATA.path} ${JSON.stringify(path)} leaves the repository`);
    const source = join(inputDir, checksum);
    if (!(await stat(source).catch(() => null))?.isFile()) throw new Error(`${checksum} (${repo}/${path}) is not in the input ${inputDir}`);
    const target = join(dir, repo, ...relative.split('/'));
    await mkdir(join(target, '..'), { recursive: true });
    await symlink(source, target);
    const entry = repositories.get(repo) ?? { id: repo, baseurl: `file://${join(dir, repo)}`, paths: [] };
    entry.paths.push(relative);
    repositories.set(repo, entry);
  }
  for (const repository of repositories.values()) {
    if (!repository.paths.includes('repodata/repomd.xml')) {
      throw new Error(`repository ${repository.id}: the input has no repodata/repomd.xml for it (reference its metadata with {"osbuild-ts:dnf-repodata": …})`);
    }
  }
  const repoFile = join(dir, 'osbuild-ts.repo');
  const sections = [...repositories.values()].map((r) => `[${r.id}]\nname=${r.id}\nbaseurl=${r.baseurl}\nenabled=1\n# Verified by checksum when the source fetched it.\ngpgcheck=0\nmetadata_expire=never\n`);
  await writeFile(repoFile, sections.join('\n'));
  return { repositories: [...repositories.values()], repoFile };
}
