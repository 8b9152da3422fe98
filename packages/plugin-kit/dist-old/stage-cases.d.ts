import { testdir, type LocalRunResult, type TreeDiff } from './testing.js';
export { testdir };
export { itFailsWithoutItsDevice, itNamesItsMissingTool } from './common-failures.js';
export type { FailureRun } from './common-failures.js';
/**
 * The helpers for one stage package's tests, given its test directory: the
 * stage's entry is `../dist/main.js` from there and its cases are in `data/`.
 */
export declare function stageCases(testDir: string): {
    entry: string;
    unavailable: typeof unavailable;
    useTreeBefore: typeof useTreeBefore;
    testdir: typeof testdir;
    hostState: typeof hostState;
    runOnCopy: (before: string, options: Record<string, unknown>, prepare?: (tree: string) => void) => Promise<CaseRun>;
    dataCases: () => DataCase[];
    /**
     * One test per case under test/data: the stage succeeds, the tree changes as diff.json says, and each file
     * under the case's tree/ directory has the same bytes (or symlink target) in the tree after.
     */
    itMatchesEachDataCase(before: () => string): void;
};
/** Why these tests cannot run here (no root, no mmdebstrap, a host tool missing), or null. */
export declare function unavailable(tools: readonly string[]): string | null;
/** The "tree before", made once per test file. */
export declare function useTreeBefore(): () => string;
export interface CaseRun {
    result: LocalRunResult;
    diff: TreeDiff;
    /** The tree after the stage ran; removed when the test ends. */
    after: string;
}
export interface DataCase {
    name: string;
    options: Record<string, unknown>;
    /** Compares a diff with the case's diff.json, or writes it with UPDATE_TREE_DIFFS=1. */
    check(diff: TreeDiff): void;
    /** Copies the case's start/ directory over a tree, when it has one. */
    prepare?: (tree: string) => void;
    /** The paths (from the tree's root) of the files under the case's tree/ directory; none without one. */
    files: string[];
    /** Compares each of `files` with the same path under `tree`: same bytes, or the same symlink target. */
    checkFiles(tree: string): void;
}
/**
 * A hash of the host files above (names, modes, owners, link targets and
 * contents, recursively) and of the names in /home.
 */
export declare function hostState(): string;
