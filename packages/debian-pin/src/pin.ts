/**
 * Pins named descriptions: each becomes the exact list of .debs (URL, size,
 * SHA-256) that apt would install for it, read from the mirror's index.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';
import { aptRoot, aptUpdate, hasIndex, type AptRoot } from './apt-root.js';
import type { Description } from './description.js';
import { hostArchitecture, hostSource } from './host-apt.js';
import { resolve, type PinnedPackage } from './resolve.js';

export interface PinOptions {
  /** Where the private apt roots (index downloads) are kept between runs. */
  cacheDir?: string;
  /** Fetch the index first (default). `false` uses the cached index, for offline or repeatable runs. */
  update?: boolean;
  /** Overrides every description's mirror. */
  mirror?: string;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface PinnedSet {
  name: string;
  description: Description;
  /** Archive URI the set was pinned against. */
  mirror: string;
  architecture: string;
  packages: PinnedPackage[];
}

/** `/var/cache/osbuild-ts/debian-pin` for root, else under XDG_CACHE_HOME or ~/.cache. */
export function defaultCacheDir(): string {
  if (process.getuid?.() === 0) return '/var/cache/osbuild-ts/debian-pin';
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'osbuild-ts', 'debian-pin');
}

/** Descriptions in an order where each one's `on` comes first; unknown names and cycles are errors. */
function order(descriptions: ReadonlyMap<string, Description>): string[] {
  const done: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, from: string[]): void => {
    if (done.includes(name)) return;
    if (visiting.has(name)) throw new OsbuildError('E_USAGE', `descriptions form a cycle through "on": ${[...from, name].join(' → ')}`);
    const d = descriptions.get(name);
    if (!d) throw new OsbuildError('E_USAGE', `description ${from.at(-1)} is "on" ${name}, which is not given`);
    visiting.add(name);
    if (d.on) visit(d.on, [...from, name]);
    visiting.delete(name);
    done.push(name);
  };
  for (const name of descriptions.keys()) visit(name, []);
  return done;
}

export async function pin(descriptions: ReadonlyMap<string, Description>, options: PinOptions = {}): Promise<Map<string, PinnedSet>> {
  const log = options.log ?? (() => {});
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const roots = new Map<string, Promise<AptRoot>>();
  let hostArch: Promise<string> | undefined;
  const sets = new Map<string, PinnedSet>();
  for (const name of order(descriptions)) {
    const d = descriptions.get(name)!;
    const architecture = d.architecture ?? (await (hostArch ??= hostArchitecture()));
    let uri = options.mirror ?? d.mirror;
    let signedBy: string | undefined = d.keyring;
    if (uri === undefined) {
      const host = await hostSource(d.suite);
      uri = host.uri;
      signedBy = d.keyring ?? host.signedBy;
      log(`${name}: ${d.suite} from the host's apt source ${host.entry}`);
    }
    const source = { uri, suite: d.suite, components: d.components ?? ['main'], architecture, ...(signedBy ? { signedBy } : {}), ...(d.trusted ? { trusted: true } : {}) };
    const key = JSON.stringify(source);
    let root = roots.get(key);
    if (!root) {
      const made = aptRoot(cacheDir, source);
      if (options.update ?? true) root = aptUpdate(made).then(() => made);
      else if (hasIndex(made)) root = Promise.resolve(made);
      else throw new OsbuildError('E_USAGE', `no cached index of ${d.suite} at ${uri} in ${cacheDir}`, { hint: 'run once without --no-update' });
      roots.set(key, root);
    }
    const base = d.on ? sets.get(d.on) : undefined;
    if (base && (base.mirror !== uri || base.description.suite !== d.suite || base.architecture !== architecture)) {
      throw new OsbuildError('E_USAGE', `description ${name} is "on" ${d.on} but uses another suite, mirror or architecture`);
    }
    const packages = await resolve(await root, {
      variant: d.variant ?? (d.on ? 'none' : 'minbase'),
      packages: d.packages ?? [],
      ...(base ? { installed: base.packages } : {}),
      ...(d.recommends ? { recommends: true } : {}),
    });
    if (d.exclude?.length) {
      const excluded = new Set(d.exclude);
      const kept = packages.filter((p) => !excluded.has(p.name));
      packages.length = 0;
      packages.push(...kept);
    }
    log(`${name}: ${packages.length} packages, ${(packages.reduce((n, p) => n + p.size, 0) / 1e6).toFixed(1)} MB`);
    sets.set(name, { name, description: d, mirror: uri, architecture, packages });
  }
  return sets;
}
