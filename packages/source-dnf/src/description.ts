/**
 * The unpinned description of an RPM package set: repositories and package
 * names, what a user commits instead of URLs of files and checksums.
 */
import { OsbuildError } from '@osbuild-ts/core';
import { MIRROR_TYPES, type MirrorType } from './options.js';

export interface Repository {
  /** The repository id; it becomes the `org.osbuild.librepo` mirror id. */
  id: string;
  /** Exactly one of these three. `$releasever`, `$basearch` and `$arch` are substituted. */
  baseurl?: string;
  mirrorlist?: string;
  metalink?: string;
  /** Skip TLS certificate checks (the checksums still decide). */
  insecure?: boolean;
}

export interface Description {
  releasever: string;
  /** RPM architecture; default: the host's (`uname -m`). */
  arch?: string;
  repositories: Repository[];
  /** What to install: names, `name-version`, provides, file paths — anything `dnf install` takes. */
  packages: string[];
  exclude?: string[];
  /** Pull in weak dependencies (Recommends); default false, as osbuild's image definitions do. */
  'install-weak-deps'?: boolean;
}

const KNOWN = new Set(['releasever', 'arch', 'repositories', 'packages', 'exclude', 'install-weak-deps']);
const REPOSITORY_KEYS = new Set(['id', 'insecure', ...MIRROR_TYPES]);
const MIRROR_ID = /^[0-9a-zA-Z-._:]+$/;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '');
}

/** Checks a parsed description; every problem is reported at once, with its path. */
export function parseDescription(value: unknown, where: string): Description {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OsbuildError('E_USAGE', `${where}: a description is a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const problems: string[] = [];
  const d = value as Record<string, unknown>;
  for (const key of Object.keys(d)) if (!KNOWN.has(key)) problems.push(`.${key}: unknown property (known: ${[...KNOWN].join(', ')})`);
  if (typeof d['releasever'] !== 'string' || d['releasever'] === '') problems.push('.releasever: required, a non-empty string such as "40"');
  if (d['arch'] !== undefined && (typeof d['arch'] !== 'string' || !/^[a-z0-9_]+$/.test(d['arch']))) problems.push('.arch: an RPM architecture such as "x86_64"');
  if (!isStringArray(d['packages']) || d['packages'].length === 0) problems.push('.packages: required, a non-empty array of package specs');
  if (d['exclude'] !== undefined && !isStringArray(d['exclude'])) problems.push('.exclude: an array of package specs');
  if (d['install-weak-deps'] !== undefined && typeof d['install-weak-deps'] !== 'boolean') problems.push('.install-weak-deps: true or false');
  if (!Array.isArray(d['repositories']) || d['repositories'].length === 0) {
    problems.push('.repositories: required, a non-empty array of {"id", "baseurl" | "mirrorlist" | "metalink"}');
  } else {
    const ids = new Set<string>();
    d['repositories'].forEach((raw: unknown, i) => problems.push(...repositoryProblems(raw, `.repositories[${i}]`, ids)));
  }
  if (problems.length > 0) {
    throw new OsbuildError('E_USAGE', `${where}: invalid description:\n  ${problems.join('\n  ')}`, { details: { problems } });
  }
  return d as unknown as Description;
}

function repositoryProblems(raw: unknown, at: string, ids: Set<string>): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [`${at}: an object {"id", "baseurl" | "mirrorlist" | "metalink"}`];
  const r = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(r)) if (!REPOSITORY_KEYS.has(key)) problems.push(`${at}.${key}: unknown property (known: ${[...REPOSITORY_KEYS].join(', ')})`);
  if (typeof r['id'] !== 'string' || !MIRROR_ID.test(r['id'])) problems.push(`${at}.id: required, letters, digits and - . _ :`);
  else if (ids.has(r['id'])) problems.push(`${at}.id: ${r['id']} is used twice`);
  else ids.add(r['id']);
  const given = MIRROR_TYPES.filter((t) => r[t] !== undefined);
  if (given.length !== 1) problems.push(`${at}: exactly one of baseurl, mirrorlist, metalink (got ${given.length === 0 ? 'none' : given.join(' and ')})`);
  for (const type of given) {
    if (typeof r[type] !== 'string' || !/^(https?|file):\/\//i.test(r[type])) problems.push(`${at}.${type}: an http, https or file URL`);
  }
  if (r['insecure'] !== undefined && typeof r['insecure'] !== 'boolean') problems.push(`${at}.insecure: true or false`);
  return problems;
}

/** The repository's mirror type and URL, with dnf's variables substituted. */
export function repositoryMirror(repository: Repository, variables: Record<string, string>): { type: MirrorType; url: string } {
  const type = MIRROR_TYPES.find((t) => repository[t] !== undefined)!;
  return { type, url: substitute(repository[type]!, variables) };
}

/** dnf's `$name` and `${name}` variables; unknown ones are left as written. */
export function substitute(text: string, variables: Record<string, string>): string {
  return text.replace(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced: string | undefined, bare: string | undefined) => variables[(braced ?? bare)!] ?? whole);
}
