// Stage tests in osbuild's style (for @osbuild-ts/plugin-kit/stage-cases): a Debian tree before, the stage's options,
// and the tree-diff expected afterwards (test/data/<case>/{options,diff}.json).
// A case may also hold test/data/<case>/start/: files copied into the tree before the stage runs (the diff is taken
// from there), and test/data/<case>/tree/: files the stage must write byte for byte (say, what upstream's stage
// wrote for the same options), each compared with the same path in the tree after.
// Set UPDATE_TREE_DIFFS=1 to write each case's diff.json from what it got.
import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statfsSync, writeFileSync, } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { copyTree, debianTreeUnavailable, hasCommand, makeDebianTree, runStageLocally, testdir, treeDiff, } from './testing.js';
export { testdir };
export { itFailsWithoutItsDevice, itNamesItsMissingTool } from './common-failures.js';
/**
 * The helpers for one stage package's tests, given its test directory: the
 * stage's entry is `../dist/main.js` from there and its cases are in `data/`.
 */
export function stageCases(testDir) {
    const entry = join(testDir, '..', 'dist', 'main.js');
    const dataDir = join(testDir, 'data');
    return {
        entry,
        unavailable,
        useTreeBefore,
        testdir,
        hostState,
        runOnCopy: (before, options, prepare) => runOnCopy(entry, before, options, prepare),
        dataCases: () => dataCases(dataDir),
        /**
         * One test per case under test/data: the stage succeeds, the tree changes as diff.json says, and each file
         * under the case's tree/ directory has the same bytes (or symlink target) in the tree after.
         */
        itMatchesEachDataCase(before) {
            for (const c of dataCases(dataDir)) {
                it(`${c.name}: changes the tree as test/data/${c.name}/diff.json says`, async () => {
                    const { result, diff, after } = await runOnCopy(entry, before(), c.options, c.prepare);
                    expect(result.exitCode, result.output).toBe(0);
                    c.check(diff);
                    c.checkFiles(after);
                });
            }
        },
    };
}
/** One tree for every configuration stage's tests, so it is made once. */
const TREE = { include: ['login', 'passwd', 'systemd'] };
/**
 * Where trees are copied: /dev/shm (memory) when it has room, since each
 * case copies a whole tree and a busy disk makes that slow; else the temp dir.
 */
const scratch = (() => {
    try {
        accessSync('/dev/shm', constants.W_OK);
        const fs = statfsSync('/dev/shm');
        if (fs.bavail * fs.bsize >= 2 ** 31)
            return '/dev/shm';
    }
    catch {
        // No /dev/shm here.
    }
    return tmpdir();
})();
/** Why these tests cannot run here (no root, no mmdebstrap, a host tool missing), or null. */
export function unavailable(tools) {
    const missing = tools.find((tool) => !hasCommand(tool));
    return debianTreeUnavailable() ?? (missing ? `${missing} is not installed on this machine` : null);
}
/** The "tree before", made once per test file. */
export function useTreeBefore() {
    let dir = '';
    beforeAll(async () => {
        dir = mkdtempSync(join(scratch, 'stage-before-'));
        await makeDebianTree(join(dir, 'tree'), TREE);
    }, 600_000);
    afterAll(() => {
        if (dir)
            rmSync(dir, { recursive: true, force: true });
    });
    return () => join(dir, 'tree');
}
/**
 * Runs the stage on a copy of `before` (changed first by `prepare`, if
 * given) with the sandbox's PATH, and diffs the result against the tree it
 * started from. Fails the test if the host's own configuration changed.
 */
async function runOnCopy(entry, before, options, prepare) {
    const dir = mkdtempSync(join(scratch, 'stage-case-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    let start = before;
    if (prepare) {
        start = join(dir, 'start');
        await copyTree(before, start);
        prepare(start);
    }
    const after = join(dir, 'after');
    await copyTree(start, after);
    const host = hostState();
    const result = await runStageLocally({ entry, tree: after, options, env: { PATH: '/usr/sbin:/usr/bin' } });
    expect(hostState(), 'the host\'s own configuration changed').toBe(host);
    return { result, diff: treeDiff(start, after), after };
}
/** The cases under test/data, one directory each, as upstream's test/data/stages/<name>/. */
function dataCases(dataDir) {
    return readdirSync(dataDir)
        .sort()
        .map((name) => {
        const options = JSON.parse(readFileSync(join(dataDir, name, 'options.json'), 'utf8'));
        const diffFile = join(dataDir, name, 'diff.json');
        const filesDir = join(dataDir, name, 'tree');
        const files = existsSync(filesDir) ? listFiles(filesDir, '') : [];
        const startDir = join(dataDir, name, 'start');
        return {
            name,
            options,
            ...(existsSync(startDir) ? { prepare: (tree) => cpSync(startDir, tree, { recursive: true, verbatimSymlinks: true }) } : {}),
            files,
            checkFiles(tree) {
                for (const path of files) {
                    const want = lstatSync(join(filesDir, path));
                    const got = lstatSync(join(tree, path), { throwIfNoEntry: false });
                    expect(got, `${path}: written by the stage`).toBeDefined();
                    if (want.isSymbolicLink()) {
                        expect(got?.isSymbolicLink() && readlinkSync(join(tree, path)), `${path}: a symlink`).toBe(readlinkSync(join(filesDir, path)));
                    }
                    else {
                        expect(got?.isFile(), `${path}: a regular file`).toBe(true);
                        expect(readFileSync(join(tree, path)).toString('latin1'), `${path}: the bytes of test/data/${name}/tree${path}`).toBe(readFileSync(join(filesDir, path)).toString('latin1'));
                    }
                }
            },
            check(diff) {
                if (process.env.UPDATE_TREE_DIFFS)
                    writeFileSync(diffFile, `${JSON.stringify(diff, null, 2)}\n`);
                else
                    expect(diff).toEqual(JSON.parse(readFileSync(diffFile, 'utf8')));
            },
        };
    });
}
/** The files and symlinks below `dir`, as absolute paths from it (`/etc/x`), sorted. */
function listFiles(dir, prefix) {
    const out = [];
    for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
        const path = `${prefix}/${entry.name}`;
        if (entry.isDirectory())
            out.push(...listFiles(dir, path));
        else
            out.push(path);
    }
    return out.sort();
}
/** Files of the host that a stage working on the wrong root would change. */
const HOST_FILES = [
    '/etc/passwd',
    '/etc/group',
    '/etc/shadow',
    '/etc/gshadow',
    '/etc/subuid',
    '/etc/subgid',
    '/etc/hostname',
    '/etc/locale.conf',
    '/etc/default/locale',
    '/etc/localtime',
    '/etc/timezone',
    '/etc/fstab',
    '/etc/systemd',
    '/usr/lib/systemd/system',
    '/usr/lib/systemd/user',
];
/**
 * A hash of the host files above (names, modes, owners, link targets and
 * contents, recursively) and of the names in /home.
 */
export function hostState() {
    const hash = createHash('sha256');
    const visit = (path) => {
        let st;
        try {
            st = lstatSync(path);
        }
        catch {
            hash.update(`${path} absent\n`);
            return;
        }
        hash.update(`${path} ${st.mode} ${st.uid} ${st.gid}\n`);
        if (st.isSymbolicLink())
            hash.update(readlinkSync(path));
        else if (st.isFile())
            hash.update(readFileSync(path));
        else if (st.isDirectory())
            for (const name of readdirSync(path).sort())
                visit(join(path, name));
    };
    HOST_FILES.forEach(visit);
    hash.update(readdirSync('/home').sort().join('\n'));
    return hash.digest('hex');
}
//# sourceMappingURL=stage-cases.js.map