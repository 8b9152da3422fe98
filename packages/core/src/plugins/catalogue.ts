import { MODULE_PACKAGES, UPSTREAM_MODULES } from './catalogue-data.js';
import type { PluginKind } from './types.js';

export type ModuleProvider =
  /** A package of ours provides it. */
  | { kind: 'package'; packageName: string }
  /** Upstream osbuild has it; osbuild-ts has no package for it yet. */
  | { kind: 'not-yet' }
  /** Neither upstream nor we know it: a third party's, or a typo. */
  | { kind: 'unknown' };

/** Who provides module `name` of `kind`, from the catalogue kept in core. */
export function moduleProvider(kind: PluginKind, name: string): ModuleProvider {
  const packageName = MODULE_PACKAGES[`${kind} ${name}`];
  if (packageName !== undefined) return { kind: 'package', packageName };
  if (UPSTREAM_MODULES[kind]?.includes(name)) return { kind: 'not-yet' };
  return { kind: 'unknown' };
}

/** One sentence for an unknown-module error: what to install, or that nothing provides it yet. */
export function providerAdvice(kind: PluginKind, name: string): string | undefined {
  const provider = moduleProvider(kind, name);
  if (provider.kind === 'package') {
    return provider.packageName === '@osbuild-ts/core'
      ? `'${name}' is built into @osbuild-ts/core; reinstall it`
      : `'${name}' is provided by ${provider.packageName}: npm install ${provider.packageName}`;
  }
  if (provider.kind === 'not-yet') return `'${name}' is an osbuild ${kind}, but osbuild-ts has no package for it yet`;
  return undefined;
}
