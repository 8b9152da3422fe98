/**
 * The resolver of `org.osbuild.debian.debootstrap` (`osbuild.resolve`): run
 * on the host by `osbuild` before the build, it pins the base set against
 * the mirror (or the host's apt source) and returns it as the stage's `debs`
 * input and `org.osbuild.curl` items, for the lock file.
 */
import { resolveChain } from '@osbuild-ts/debian-pin/stage-resolver';
import type { ResolveRequest, ResolveResult } from '@osbuild-ts/plugin-kit';
import { description, type DebootstrapOptions } from './options.js';

export async function resolve(request: ResolveRequest<DebootstrapOptions>): Promise<ResolveResult> {
  return resolveChain([description(request.options)], request.log);
}

export default resolve;
