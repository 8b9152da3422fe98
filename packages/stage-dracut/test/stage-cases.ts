// The shared osbuild-style stage test helpers, bound to this package.
import { stageCases } from '@osbuild-ts/plugin-kit/stage-cases';

export const { entry, unavailable, useTreeBefore, testdir, runOnCopy, dataCases, hostState, itMatchesEachDataCase } = stageCases(import.meta.dirname);
export type { CaseRun, DataCase } from '@osbuild-ts/plugin-kit/stage-cases';
