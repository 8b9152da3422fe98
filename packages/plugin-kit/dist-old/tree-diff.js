import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { posix } from 'node:path';
/**
 * Files whose content holds the time they were written, so only the fact
 * that they changed is reported. By base name, anywhere in the tree, as
 * upstream does.
 */
export const TIMESTAMPED_FILES = ['aux-cache', 'rpmdb.sqlite', 'cacerts', 'shadow', 'shadow-'];
/**
 * Compares two directory trees the way osbuild's `tools/tree-diff` does, so a
 * stage test can check a tree against a committed `diff.json`:
 *
 * - paths are absolute from the tree root (`/etc/hostname`); the root is `/`;
 * - a path only in `after` is in `added_files`, only in `before` in
 *   `deleted_files`, and so is everything below an added or deleted
 *   directory; both lists are sorted;
 * - for a path in both, a different `mode` is reported alone (and a
 *   directory whose mode changed is not descended into); otherwise `uid`,
 *   `gid`, then for symlinks their targets, for regular files the sha256 of
 *   their content;
 * - times, sizes, link counts and extended attributes are not compared.
 *
 * Upstream also compares SELinux labels; Node cannot read extended
 * attributes, so `selinux` is never reported here. File names must be UTF-8.
 */
export function treeDiff(before, after) {
    const report = { added_files: [], deleted_files: [], differences: {} };
    const differences = new Map();
    // The roots themselves are followed if they are symlinks, as upstream opens them.
    compareStats(statSync(before), statSync(after), '/', differences);
    compareDirectories(before, after, '/', report, differences);
    report.added_files.sort(byCodePoint);
    report.deleted_files.sort(byCodePoint);
    for (const path of [...differences.keys()].sort(byCodePoint)) {
        const props = differences.get(path);
        // Keys sorted too, so a report written to diff.json is stable.
        report.differences[path] = Object.fromEntries(Object.entries(props).sort(([a], [b]) => byCodePoint(a, b)));
    }
    return report;
}
function compareDirectories(dir1, dir2, path, report, differences) {
    const names1 = new Set();
    for (const entry of readdirSync(dir1, { withFileTypes: true })) {
        const child = posix.join(path, entry.name);
        const path1 = posix.join(dir1, entry.name);
        const path2 = posix.join(dir2, entry.name);
        const stat2 = lstatOrNull(path2);
        if (stat2 === null) {
            report.deleted_files.push(child);
            if (entry.isDirectory())
                listTree(path1, child, report.deleted_files);
            continue;
        }
        names1.add(entry.name);
        const stat1 = lstatSync(path1);
        if (!compareStats(stat1, stat2, child, differences))
            continue;
        if (stat1.isSymbolicLink()) {
            const target1 = readlinkSync(path1);
            const target2 = readlinkSync(path2);
            if (target1 !== target2)
                record(differences, child).symlink = [target1, target2];
        }
        else if (stat1.isFile()) {
            compareContent(entry, path1, path2, child, differences);
        }
        else if (stat1.isDirectory()) {
            compareDirectories(path1, path2, child, report, differences);
        }
    }
    for (const entry of readdirSync(dir2, { withFileTypes: true })) {
        if (names1.has(entry.name))
            continue;
        const child = posix.join(path, entry.name);
        report.added_files.push(child);
        if (entry.isDirectory())
            listTree(posix.join(dir2, entry.name), child, report.added_files);
    }
}
/** Records mode, uid and gid differences; false when the modes differ (nothing more to compare). */
function compareStats(stat1, stat2, path, differences) {
    if (stat1.mode !== stat2.mode) {
        record(differences, path).mode = [stat1.mode, stat2.mode];
        return false;
    }
    if (stat1.uid !== stat2.uid)
        record(differences, path).uid = [stat1.uid, stat2.uid];
    if (stat1.gid !== stat2.gid)
        record(differences, path).gid = [stat1.gid, stat2.gid];
    return true;
}
function compareContent(entry, path1, path2, path, differences) {
    // Upstream skips files it cannot open.
    const hash1 = hashFile(path1);
    if (hash1 === null)
        return;
    const hash2 = hashFile(path2);
    if (hash2 === null || hash1 === hash2)
        return;
    record(differences, path).content = TIMESTAMPED_FILES.includes(entry.name) ? [null, null] : [hash1, hash2];
}
// One read buffer for all files: trees have thousands.
const buffer = Buffer.allocUnsafe(1 << 20);
function hashFile(path) {
    let fd;
    try {
        fd = openSync(path, 'r');
    }
    catch {
        return null;
    }
    try {
        const hash = createHash('sha256');
        for (;;) {
            const n = readSync(fd, buffer, 0, buffer.length, null);
            if (n === 0)
                break;
            hash.update(buffer.subarray(0, n));
        }
        return `sha256:${hash.digest('hex')}`;
    }
    finally {
        closeSync(fd);
    }
}
/** Every path below `dir`, depth first, as upstream lists added and deleted directories. */
function listTree(dir, path, into) {
    let entries;
    try {
        entries = readdirSync(dir, { withFileTypes: true });
    }
    catch {
        return;
    }
    for (const entry of entries) {
        const child = posix.join(path, entry.name);
        into.push(child);
        if (entry.isDirectory())
            listTree(posix.join(dir, entry.name), child, into);
    }
}
function lstatOrNull(path) {
    try {
        return lstatSync(path);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return null;
        throw error;
    }
}
function record(differences, path) {
    let props = differences.get(path);
    if (!props)
        differences.set(path, (props = {}));
    return props;
}
/** Python's string order (by code point), which differs from JS's for characters beyond U+FFFF. */
function byCodePoint(a, b) {
    if (a === b)
        return 0;
    const x = [...a];
    const y = [...b];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const d = x[i].codePointAt(0) - y[i].codePointAt(0);
        if (d !== 0)
            return d;
    }
    return x.length - y.length;
}
//# sourceMappingURL=tree-diff.js.map