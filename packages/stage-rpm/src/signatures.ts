import { spawnSync } from 'node:child_process';

export interface Candidate {
  /** The file's name in the input directory: its checksum. */
  file: string;
  /** How to name the package in a message (asked only for those that fail). */
  describe(): string;
}

/**
 * Checks the signatures of `candidates` (files in `dir`) against the keys in
 * the tree's rpm database, in one rpmkeys run. A package must carry a
 * signature by an imported key: unsigned, signed by an unknown key or
 * changed after signing all fail. Throws one error naming every package
 * that failed and what rpmkeys said about it.
 */
export function checkSignatures(rpmkeys: string, rpmArgs: string[], tree: string, dir: string, candidates: Candidate[]): void {
  if (candidates.length === 0) return;
  // _pkgverify_level signature: without it rpmkeys accepts a package that has
  // only digests, and "must be signed" would let unsigned packages through.
  const r = spawnSync(rpmkeys, [...rpmArgs, '--root', tree, '--define', '_pkgverify_level signature', '--checksig', '--', ...candidates.map((c) => c.file)], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${rpmkeys}: ${r.error.message}`);
  const verdicts = new Map<string, string>();
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
    const m = /^(.+?): (.*)$/.exec(line.trim());
    if (m && candidates.some((c) => c.file === m[1])) verdicts.set(m[1]!, m[2]!);
  }
  const failed = candidates.filter((c) => {
    const verdict = verdicts.get(c.file);
    return verdict === undefined ? r.status !== 0 : /NOT OK|NOKEY|NOTTRUSTED|BAD/.test(verdict);
  });
  if (failed.length === 0 && r.status === 0) return;
  if (failed.length === 0) throw new Error(`signature check failed (${rpmkeys} exit status ${r.status}):\n${r.stdout}${r.stderr}`);
  throw new Error(
    `signature check failed (rpm.check_gpg) for ${failed.length === 1 ? 'package' : 'packages'} ` +
      failed.map((c) => `${c.describe()}: ${verdicts.get(c.file) ?? 'no verdict from rpmkeys'}`).join('; ') +
      '. The package must be signed by a key given in options.gpgkeys.',
  );
}
