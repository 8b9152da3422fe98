/**
 * Dependency resolution by apt itself, in mmdebstrap's two steps: first the
 * `Essential: yes` set onto an empty system, then (with that set installed)
 * the variant's priorities and the named packages. Doing it in one step could
 * choose differently between alternatives (`a | b`) than the real install.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';
import type { AptRoot } from './apt-root.js';
import { field, formatStanza, parseDeb822, type Stanza } from './deb822.js';
import type { Variant } from './description.js';
import { errorLines, exec, execOk } from './exec.js';

export interface PinnedPackage {
  name: string;
  version: string;
  architecture: string;
  /** The archive's priority (it may differ from the .deb's own control file). */
  priority: string;
  /** Lowercase hex SHA-256 of the .deb. */
  sha256: string;
  size: number;
  /** Path in the archive (`pool/main/…`). */
  filename: string;
  url: string;
}

interface Selected {
  name: string;
  version: string;
}

const EXTRA: Partial<Record<Variant, string>> = {
  minbase: '?and(?priority(required),?not(?essential))',
  required: '?and(?priority(required),?not(?essential))',
  important: '?and(?or(?priority(required),?priority(important)),?not(?essential))',
  standard: '?and(?or(?priority(required),?priority(important),?priority(standard)),?not(?essential))',
};

/** `Inst name [old] (version release [arch])` lines of `apt-get -s`. */
export function parseSimulation(text: string): Selected[] {
  const out: Selected[] = [];
  for (const line of text.split('\n')) {
    const m = /^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) /.exec(line);
    if (m) out.push({ name: m[1]!.replace(/:[^:]+$/, ''), version: m[2]! });
  }
  return out;
}

async function simulate(root: AptRoot, status: string, requests: string[], recommends = false): Promise<Selected[]> {
  const extra = recommends ? ['-o', 'APT::Install-Recommends=true'] : [];
  const result = await exec('apt-get', [...root.options, ...extra, '-o', `Dir::State::status=${status}`, '-s', '-q', 'install', ...requests]);
  if (result.code !== 0) {
    const text = `${result.stdout}\n${result.stderr}`;
    const unknown = [...text.matchAll(/Unable to locate package (\S+)/g)].map((m) => m[1]!);
    const { suite, components, architecture, uri } = root.source;
    const where = `${suite} (${components.join(', ')}, ${architecture}) at ${uri}`;
    if (unknown.length > 0) {
      throw new OsbuildError('E_USAGE', `unknown package${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: not in ${where}`, {
        details: { unknown },
        hint: 'check the names with apt-cache policy, or the suite and components of the description',
      });
    }
    throw new OsbuildError('E_USAGE', `apt cannot resolve ${requests.join(' ')} in ${where}:\n${errorLines(result)}`);
  }
  return parseSimulation(result.stdout);
}

async function show(root: AptRoot, selected: readonly Selected[]): Promise<Map<string, Stanza>> {
  const byName = new Map<string, Stanza>();
  if (selected.length === 0) return byName;
  const text = await execOk('apt-cache', [...root.options, 'show', ...selected.map((s) => `${s.name}=${s.version}`)]);
  for (const stanza of parseDeb822(text)) {
    const name = field(stanza, 'Package');
    if (name && !byName.has(name)) byName.set(name, stanza);
  }
  return byName;
}

/** A dpkg status file in which exactly these packages are installed. */
async function statusWith(root: AptRoot, installed: readonly Selected[], name: string): Promise<string> {
  const stanzas = await show(root, installed);
  let text = '';
  for (const stanza of stanzas.values()) {
    const copy: Stanza = new Map();
    for (const [key, value] of stanza) {
      copy.set(key, value);
      if (key === 'Package') copy.set('Status', 'install ok installed');
    }
    text += `${formatStanza(copy)}\n`;
  }
  const file = join(root.dir, `state/status-${name}`);
  writeFileSync(file, text);
  return file;
}

function toPinned(root: AptRoot, stanza: Stanza): PinnedPackage {
  const get = (name: string): string => {
    const value = field(stanza, name);
    if (value === undefined) throw new OsbuildError('E_SOURCE_FETCH', `the index entry of ${field(stanza, 'Package')} has no ${name} field`);
    return value.trim();
  };
  const filename = get('Filename');
  return {
    name: get('Package'),
    version: get('Version'),
    architecture: get('Architecture'),
    priority: field(stanza, 'Priority')?.trim() ?? 'optional',
    sha256: get('SHA256').toLowerCase(),
    size: Number(get('Size')),
    filename,
    url: `${root.source.uri.replace(/\/*$/, '/')}${filename.replace(/^\.?\//, '')}`,
  };
}

export interface ResolveRequest {
  variant: Variant;
  packages: readonly string[];
  /** Packages to treat as installed already (another pinned set). */
  installed?: readonly PinnedPackage[];
  /** Install `Recommends` of the named packages too. */
  recommends?: boolean;
}

/** The packages to download for a request, sorted by name (so diffs of pinned manifests stay small). */
export async function resolve(root: AptRoot, request: ResolveRequest): Promise<PinnedPackage[]> {
  const chosen = new Map<string, Selected>();
  const base = (request.installed ?? []).map((p) => ({ name: p.name, version: p.version }));
  let status = base.length > 0 ? await statusWith(root, base, 'base') : root.emptyStatus;
  if (request.variant !== 'none') {
    for (const s of await simulate(root, status, ['?essential'])) chosen.set(s.name, s);
    if (chosen.size > 0) status = await statusWith(root, [...base, ...chosen.values()], 'essential');
  }
  const extra = EXTRA[request.variant];
  const requests = [...(extra ? [extra] : []), ...request.packages];
  if (requests.length > 0) for (const s of await simulate(root, status, requests, request.recommends)) chosen.set(s.name, s);
  const stanzas = await show(root, [...chosen.values()]);
  const pinned = [...chosen.values()].map((s) => {
    const stanza = stanzas.get(s.name);
    if (!stanza) throw new OsbuildError('E_SOURCE_FETCH', `apt chose ${s.name} ${s.version} but the index has no entry for it`);
    return toPinned(root, stanza);
  });
  return pinned.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
