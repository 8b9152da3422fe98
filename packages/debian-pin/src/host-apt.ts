/**
 * What the host's apt configuration says, read at run time: the archive URI
 * to pin against and the keyring it is verified with. No mirror name is ever
 * written in this repository; it comes from here or from the user.
 */
import { readFileSync } from 'node:fs';
import { OsbuildError } from '@osbuild-ts/core';
import { parseDeb822, field } from './deb822.js';
import { exec, execOk } from './exec.js';

export interface HostSource {
  uri: string;
  /** The entry's Signed-By value (a keyring path, fingerprints or an embedded key), if any. */
  signedBy?: string;
  /** Where the host configured it (`file:entry`), for messages. */
  entry: string;
}

interface Target {
  targetOf: string;
  repoUri: string;
  release: string;
  codename: string;
  origin: string;
  entry: string;
}

export async function hostArchitecture(): Promise<string> {
  return (await execOk('dpkg', ['--print-architecture'])).trim();
}

async function indexTargets(): Promise<Target[]> {
  const format = '$(TARGET_OF)\t$(REPO_URI)\t$(RELEASE)\t$(CODENAME)\t$(ORIGIN)\t$(SOURCESENTRY)';
  const result = await exec('apt-get', ['indextargets', '--format', format]);
  if (result.code !== 0) throw new OsbuildError('E_USAGE', `apt-get indextargets failed: ${result.stderr.trim()}`);
  const targets: Target[] = [];
  for (const line of result.stdout.split('\n')) {
    const [targetOf = '', repoUri = '', release = '', codename = '', origin = '', entry = ''] = line.split('\t');
    if (repoUri === '') continue;
    // Fields a Release file has not filled in yet come back as the literal variable.
    const clean = (s: string) => (s.startsWith('$(') ? '' : s);
    targets.push({ targetOf, repoUri, release: clean(release), codename: clean(codename), origin: clean(origin), entry });
  }
  return targets;
}

/**
 * The host's Debian archive for a suite: the first `deb` entry that carries
 * the suite by name or codename; failing that, the first `deb` entry whose
 * Release says `Origin: Debian` (its other suites are on the same archive).
 */
export async function hostSource(suite: string): Promise<HostSource> {
  const targets = (await indexTargets()).filter((t) => t.targetOf === 'deb');
  const pick =
    targets.find((t) => t.release === suite || t.codename === suite) ??
    targets.find((t) => t.origin === 'Debian' && !/-security$/.test(t.release));
  if (!pick) {
    throw new OsbuildError('E_USAGE', `the host's apt configuration has no Debian archive to pin suite ${suite} against`, {
      hint: 'name one with "mirror" in the description or --mirror',
    });
  }
  const signedBy = signedByOf(pick.entry);
  return { uri: pick.repoUri, entry: pick.entry, ...(signedBy ? { signedBy } : {}) };
}

/** Signed-By of a sources entry `file:n` (deb822: n-th paragraph; one-line format: line n). */
export function signedByOf(entry: string): string | undefined {
  const match = /^(.*):(\d+)$/.exec(entry);
  if (!match) return undefined;
  const [, file = '', index = '0'] = match;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const n = Number(index);
  if (file.endsWith('.sources')) {
    const stanza = parseDeb822(text)[n - 1];
    return stanza ? field(stanza, 'Signed-By')?.trim() : undefined;
  }
  const line = text.split('\n')[n - 1] ?? '';
  return /\[[^\]]*\bsigned-by=([^\s\]]+)/.exec(line)?.[1];
}
