/**
 * What the resolvers of the Debian stages (`org.osbuild.debian.debootstrap`,
 * `org.osbuild.apt`) share: a pipeline's Debian package sets as a chain of
 * descriptions, each one `on` the one before, pinned with apt; the newest
 * set becomes the stage's `debs` input and `org.osbuild.curl` items.
 */
import type { Description } from './description.js';
import { curlItems, references } from './manifest.js';
import { pin } from './pin.js';

/** The state a Debian stage's resolver hands to later ones: the descriptions so far. */
export interface DebianChain {
  descriptions: Description[];
}

export interface ChainResult {
  sources: Record<string, Record<string, unknown>>;
  inputs: Record<string, unknown>;
  state: DebianChain;
  /** The dpkg architecture of the packages: the stage runs its binaries. */
  architectures: string[];
}

/** The last Debian chain among earlier resolved stages of the pipeline, if any. */
export function previousChain(previous: readonly { state: unknown }[]): DebianChain | undefined {
  for (let i = previous.length - 1; i >= 0; i--) {
    const state = previous[i]!.state as Partial<DebianChain> | null;
    if (state && Array.isArray(state.descriptions)) return state as DebianChain;
  }
  return undefined;
}

/**
 * Pins `chain` (each description on the one before) and returns the last
 * set as a `debs` input of `org.osbuild.files` references and its
 * `org.osbuild.curl` items.
 */
export async function resolveChain(chain: readonly Description[], log: (line: string) => void): Promise<ChainResult> {
  const named = new Map<string, Description>();
  chain.forEach((d, i) => named.set(`set${i}`, i === 0 ? d : { ...d, on: `set${i - 1}` }));
  const sets = await pin(named, { log });
  const last = sets.get(`set${chain.length - 1}`)!;
  return {
    sources: { 'org.osbuild.curl': curlItems(last.packages) },
    inputs: { debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: references(last.packages) } },
    state: { descriptions: [...chain] },
    architectures: [last.architecture],
  };
}
