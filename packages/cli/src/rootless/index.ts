import { dumpsPy, isOsbuildError, validationErrorDocument, type Manifest, type ValidationIssue } from '@osbuild-ts/core';
import type { CliArgs } from '../args.js';
import type { Io } from '../main.js';
import { checkRootlessStages } from './needs-root.js';
import { needsNamespace } from './namespace.js';
import { requireSubordinateIds } from './subids.js';

export { needsNamespace, reexecInNamespace, inUserNamespace, isRealRoot, NAMESPACE_ENV } from './namespace.js';

/**
 * Not root: everything a rootless build cannot do is refused now, before
 * anything runs (stages that need devices or mounts, a user without
 * subordinate ids). With --json the stages at fault are also printed as a
 * validation-error document, as for a mount this kernel cannot make.
 */
export function checkRootless(args: CliArgs, manifest: Manifest, exportPipelines: readonly string[], io: Io): void {
  if (!needsNamespace()) return;
  try {
    checkRootlessStages(manifest, exportPipelines);
    requireSubordinateIds();
  } catch (error) {
    if (args.json && isOsbuildError(error) && Array.isArray(error.details.issues)) {
      io.stdout(dumpsPy(validationErrorDocument(error.details.issues as ValidationIssue[])) + '\n');
    }
    throw error;
  }
}
