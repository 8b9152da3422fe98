/**
 * The resolver of `org.osbuild.apt` (`osbuild.resolve`): run on the host by
 * `osbuild` before the build. It pins what the packages add to the tree the
 * earlier Debian stages of the pipeline lock (same suite, mirror and
 * architecture) and returns that as the stage's `debs` input and
 * `org.osbuild.curl` items, for the lock file.
 */
import { previousChain, resolveChain } from '@osbuild-ts/debian-pin/stage-resolver';
import type { ResolveRequest, ResolveResult } from '@osbuild-ts/plugin-kit';
import type { AptOptions } from './options.js';

export async function resolve(request: ResolveRequest<AptOptions>): Promise<ResolveResult> {
  const chain = previousChain(request.previous);
  if (!chain || chain.descriptions.length === 0) {
    throw new Error(
      `org.osbuild.apt (pipeline ${request.pipeline}, stage ${request.index + 1}) needs an earlier org.osbuild.debian.debootstrap stage in its pipeline: it installs into the suite that stage names`,
    );
  }
  const base = chain.descriptions[0]!;
  const own = {
    suite: base.suite,
    variant: 'none' as const,
    packages: request.options.packages,
    ...(base.architecture ? { architecture: base.architecture } : {}),
    ...(base.mirror ? { mirror: base.mirror } : {}),
    ...(base.components ? { components: base.components } : {}),
    ...(base.keyring ? { keyring: base.keyring } : {}),
    ...(base.trusted ? { trusted: true } : {}),
    ...(request.options.install_recommends ? { recommends: true } : {}),
  };
  return resolveChain([...chain.descriptions, own], request.log);
}

export default resolve;
