/**
 * Runner resolution (spec 1.6). A runner is named `<distro><version>`; a
 * request resolves to the runner file of the same distro with the highest
 * version not above the requested one (`org.osbuild.fedora41` → `fedora38`).
 */
import { readFileSync } from 'node:fs';
import { OsbuildError } from '../errors.js';

/** The runner files upstream osbuild ships (its `runners/` directory). */
export const RUNNER_FILES: readonly string[] = [
  'org.osbuild.AutoSD9',
  'org.osbuild.almalinux8',
  'org.osbuild.almalinux9',
  'org.osbuild.arch',
  'org.osbuild.asahi-fedora-remix',
  'org.osbuild.autosd',
  'org.osbuild.centos8',
  'org.osbuild.centos9',
  'org.osbuild.debian',
  'org.osbuild.eln11',
  'org.osbuild.fedora-asahi-remix',
  'org.osbuild.fedora30',
  'org.osbuild.fedora38',
  'org.osbuild.linux',
  'org.osbuild.ol9',
  'org.osbuild.rhel7',
  'org.osbuild.rhel81',
  'org.osbuild.rhel82',
  'org.osbuild.rhivos',
  'org.osbuild.ubuntu1804',
];

/**
 * Splits trailing ASCII digits off as the version (none → 0). As upstream,
 * the first character always stays in the distro part.
 */
export function parseRunnerName(name: string): { distro: string; version: bigint } {
  let i = name.length - 1;
  while (i > 0 && name.charCodeAt(i) >= 0x30 && name.charCodeAt(i) <= 0x39) i--;
  const digits = name.slice(i + 1);
  return { distro: name.slice(0, i + 1), version: digits === '' ? 0n : BigInt(digits) };
}

/** The runner file for a requested name, or undefined when there is none. */
export function resolveRunner(requested: string, files: readonly string[] = RUNNER_FILES): string | undefined {
  const { distro, version } = parseRunnerName(requested);
  let best: { file: string; version: bigint } | undefined;
  for (const file of files) {
    const candidate = parseRunnerName(file);
    if (candidate.distro !== distro || candidate.version > version) continue;
    if (best === undefined || candidate.version >= best.version) best = { file, version: candidate.version };
  }
  return best?.file;
}

/** Why `requested` does not resolve, in one phrase for error messages. */
export function explainUnresolvedRunner(requested: string, files: readonly string[] = RUNNER_FILES): string {
  const { distro } = parseRunnerName(requested);
  const same = files.filter((file) => parseRunnerName(file).distro === distro);
  if (same.length > 0) {
    return `no runner for ${JSON.stringify(requested)}: the ${distro} runners (${same.join(', ')}) are all newer`;
  }
  return `no runner for ${JSON.stringify(requested)} (known runners: ${files.join(', ')})`;
}

/**
 * Reads os-release(5) assignments, unquoting values like Python's
 * `shlex.split` (upstream's reader); lines upstream would reject (no `=`,
 * no value, several words) are skipped.
 */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const value = unquoteShellWord(line.slice(eq + 1));
    if (value !== undefined) fields.set(line.slice(0, eq), value);
  }
  return fields;
}

/** One shell word with POSIX quoting, or undefined if the value is not exactly one word. */
function unquoteShellWord(text: string): string | undefined {
  let out = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      out += text.slice(i + 1, end);
      quoted = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        const d = text[i] as string;
        if (d === '"') break;
        if (d === '\\' && (text[i + 1] === '\\' || text[i + 1] === '"')) {
          out += text[i + 1];
          i += 2;
        } else {
          out += d;
          i++;
        }
      }
      quoted = true;
      i++;
    } else if (c === '\\') {
      if (i + 1 < text.length) out += text[i + 1];
      i += 2;
    } else if (c === ' ' || c === '\t') {
      // A second word after blanks makes the value invalid.
      return text.slice(i).trim() === '' ? out : undefined;
    } else {
      out += c;
      i++;
    }
  }
  return out === '' && !quoted ? undefined : out;
}

/** `org.osbuild.` + ID + VERSION_ID without dots, as upstream names the host runner. */
export function hostRunnerName(osRelease: string): string {
  const fields = parseOsRelease(osRelease);
  return `org.osbuild.${fields.get('ID') ?? 'linux'}${(fields.get('VERSION_ID') ?? '').replaceAll('.', '')}`;
}

function readOsRelease(): string {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      // try the next location, as os-release(5) says
    }
  }
  return '';
}

/**
 * The runner file for this host (Debian 12 → `org.osbuild.debian`). Pass the
 * os-release text to ask about another system.
 */
export function hostRunner(osRelease: string = readOsRelease()): string {
  const requested = hostRunnerName(osRelease);
  const file = resolveRunner(requested);
  if (file === undefined) {
    throw new OsbuildError('E_SANDBOX', `This host has no runner: ${explainUnresolvedRunner(requested)}`, {
      hint: 'osbuild picks the runner from os-release ID and VERSION_ID; build on a supported distribution.',
      details: { requested },
    });
  }
  return file;
}
