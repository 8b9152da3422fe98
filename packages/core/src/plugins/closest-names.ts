import { createRequire } from 'node:module';

// Loaded on first use: suggestions are only needed on the error path, and
// this import alone costs several milliseconds of every start.
let levenshtein: ((a: string, b: string) => number) | undefined;
function distance(a: string, b: string): number {
  levenshtein ??= (createRequire(import.meta.url)('fastest-levenshtein') as typeof import('fastest-levenshtein')).distance;
  return levenshtein(a, b);
}

/**
 * "Did you mean" candidates. Module names share long prefixes
 * (`org.osbuild.`), so the edit budget is measured against the part that
 * differs, not the whole name: `hostnme` → `hostname` is suggested,
 * `hostnme` → `systemd` is not. Names that extend (or are extended by) what
 * was typed within its last segment also count: `grub` → `grub2`.
 */
export function closestNames(wanted: string, names: Iterable<string>, limit = 3): string[] {
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of names) {
    if (name === wanted) continue;
    // A swap of neighbours (mkdri → mkdir), the commonest typo, is one edit, not two.
    const d = isNeighbourSwap(wanted, name) ? 1 : distance(wanted, name);
    const tail = Math.max(wanted.length, name.length) - sharedSegmentsLength(wanted, name);
    const budget = Math.max(1, Math.floor(tail / 3));
    const extends_ = isSegmentPrefix(wanted, name) || isSegmentPrefix(name, wanted);
    if (d > budget && !extends_) continue;
    scored.push({ name, score: extends_ ? Math.min(d, 1) : d });
  }
  scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.name);
}

/** Length of the common prefix made of whole dot-separated segments (dot included). */
function sharedSegmentsLength(a: string, b: string): number {
  let shared = 0;
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i++) {
    if (a[i] === '.') shared = i + 1;
  }
  return shared;
}

/** `short` is a prefix of `long` that covers all but (part of) its last segment. */
function isSegmentPrefix(short: string, long: string): boolean {
  return short.length < long.length && long.startsWith(short) && long.lastIndexOf('.') <= short.length;
}

function isNeighbourSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
