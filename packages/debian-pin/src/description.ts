/**
 * The unpinned description of a Debian package set: what a user commits
 * instead of URLs and checksums.
 */
import { OsbuildError } from '@osbuild-ts/core';

export const VARIANTS = ['none', 'essential', 'minbase', 'required', 'important', 'standard'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface Description {
  /** Suite or codename on the mirror (`bookworm`, `stable`). */
  suite: string;
  /** dpkg architecture; default: the host's (`dpkg --print-architecture`). */
  architecture?: string;
  /** Base set, as mmdebstrap's variants; default `minbase`. */
  variant?: Variant;
  /** What to add: anything `apt-get install` accepts (names, `name=version`, patterns). */
  packages?: string[];
  /** Archive URI; default: the host's apt configuration, read at run time. */
  mirror?: string;
  components?: string[];
  /** Another description (by name) whose packages count as installed: pin only what this one adds. */
  on?: string;
  /** Resolve with apt's `Recommends` installed too (default: not, as mmdebstrap). */
  recommends?: boolean;
  /** Keyring file on this host that verifies the mirror's Release (apt's `Signed-By`). */
  keyring?: string;
  /** Accept the mirror's index without a signature check (apt's `Trusted: yes`): only for a mirror you control. */
  trusted?: boolean;
  /** Packages to leave out of the pinned set (debootstrap's `--exclude`). */
  exclude?: string[];
}

const KNOWN = new Set(['suite', 'architecture', 'variant', 'packages', 'mirror', 'components', 'on', 'recommends', 'keyring', 'trusted', 'exclude']);
const NAME = /^[a-z0-9][a-z0-9+.-]*$/;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '');
}

/** Checks a parsed description; every problem is reported at once, with its path. */
export function parseDescription(value: unknown, where: string): Description {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OsbuildError('E_USAGE', `${where}: a description is a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const d = value as Record<string, unknown>;
  for (const key of Object.keys(d)) if (!KNOWN.has(key)) problems.push(`.${key}: unknown property (known: ${[...KNOWN].join(', ')})`);
  if (typeof d.suite !== 'string' || d.suite === '') problems.push('.suite: required, a non-empty string');
  if (d.architecture !== undefined && (typeof d.architecture !== 'string' || !NAME.test(d.architecture))) {
    problems.push('.architecture: a dpkg architecture name such as "amd64"');
  }
  if (d.variant !== undefined && !VARIANTS.includes(d.variant as Variant)) problems.push(`.variant: one of ${VARIANTS.join(', ')}`);
  if (d.packages !== undefined && !isStringArray(d.packages)) problems.push('.packages: an array of non-empty strings');
  if (d.components !== undefined && (!isStringArray(d.components) || d.components.length === 0)) {
    problems.push('.components: a non-empty array of non-empty strings');
  }
  if (d.mirror !== undefined && (typeof d.mirror !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//.test(d.mirror))) {
    problems.push('.mirror: a URI such as "http://host/debian"');
  }
  if (d.on !== undefined && (typeof d.on !== 'string' || d.on === '')) problems.push('.on: the name of another description');
  if (d.recommends !== undefined && typeof d.recommends !== 'boolean') problems.push('.recommends: true or false');
  if (d.trusted !== undefined && typeof d.trusted !== 'boolean') problems.push('.trusted: true or false');
  if (d.keyring !== undefined && (typeof d.keyring !== 'string' || !d.keyring.startsWith('/'))) problems.push('.keyring: an absolute path to a keyring file');
  if (d.exclude !== undefined && !isStringArray(d.exclude)) problems.push('.exclude: an array of package names');
  if (problems.length > 0) {
    throw new OsbuildError('E_USAGE', `${where}: invalid description:\n  ${problems.join('\n  ')}`, { details: { problems } });
  }
  return d as unknown as Description;
}
