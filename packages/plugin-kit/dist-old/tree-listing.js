import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, lchownSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
/**
 * One line per entry of a tree, sorted by path: type, mode, owner, size,
 * content hash, link target, device numbers, hard-link group (the first
 * path of the inode), extended attributes and, by default, mtime. Two trees
 * with equal listings are equal in everything an archive or a file system
 * image is meant to keep, which is what output-format tests compare.
 */
export function treeListing(root, options = {}) {
    const lines = [];
    const firstPath = new Map();
    const xattrs = readXattrs(root, options.ignoreXattr);
    const exclude = new Set(options.exclude ?? []);
    const visit = (rel) => {
        const path = rel === '.' ? root : join(root, rel);
        const st = lstatSync(path, { bigint: true });
        const fields = [rel, typeOf(st), (st.mode & 4095n).toString(8), `${st.uid}:${st.gid}`];
        if (st.isFile()) {
            fields.push(String(st.size), createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16));
            const key = `${st.dev}:${st.ino}`;
            const first = firstPath.get(key);
            if (first === undefined)
                firstPath.set(key, rel);
            else
                fields.push(`link=${first}`);
        }
        else if (st.isSymbolicLink())
            fields.push(`-> ${readlinkSync(path)}`);
        else if (st.isBlockDevice() || st.isCharacterDevice())
            fields.push(`${major(st.rdev)},${minor(st.rdev)}`);
        if (options.mtime ?? true) {
            if (!st.isSymbolicLink() || options.mtime)
                fields.push(`mtime=${st.mtimeMs / 1000n}`);
        }
        const x = xattrs.get(rel);
        if (x)
            fields.push(x);
        lines.push(fields.join(' '));
        if (st.isDirectory()) {
            for (const name of readdirSync(path).sort()) {
                const child = rel === '.' ? name : `${rel}/${name}`;
                if (!exclude.has(child))
                    visit(child);
            }
        }
    };
    visit('.');
    return lines;
}
function typeOf(st) {
    if (st.isFile())
        return 'f';
    if (st.isDirectory())
        return 'd';
    if (st.isSymbolicLink())
        return 'l';
    if (st.isCharacterDevice())
        return 'c';
    if (st.isBlockDevice())
        return 'b';
    if (st.isFIFO())
        return 'p';
    return 's';
}
function major(dev) {
    return ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
}
function minor(dev) {
    return (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
}
/** Every entry's extended attributes (`getfattr -R`, hex values), keyed by relative path. */
function readXattrs(root, ignore) {
    const result = spawnSync('getfattr', ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', '.'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (result.error)
        throw new Error(`getfattr (package attr) is needed to list extended attributes: ${result.error.message}`);
    const map = new Map();
    let current = '';
    for (const line of result.stdout.split('\n')) {
        const file = /^# file: (.*)$/.exec(line);
        if (file) {
            current = file[1] === '.' ? '.' : file[1].replace(/^\.\//, '');
            continue;
        }
        const attr = /^([^=]+)=(.*)$/.exec(line);
        if (!attr || ignore?.test(attr[1]))
            continue;
        const list = map.get(current) ?? [];
        list.push(`${attr[1]}=${attr[2]}`);
        map.set(current, list);
    }
    return new Map([...map].map(([k, v]) => [k, `xattrs{${v.sort().join(',')}}`]));
}
/**
 * A small tree with everything an archive must keep: owners, setuid and
 * sticky modes, an empty directory, a hard link, symlinks, a character and
 * a block device, a FIFO, extended attributes, an old mtime and a name with
 * a space. Needs root (owners, device nodes).
 */
export function richTree(root) {
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'etc/app'), { recursive: true });
    mkdirSync(join(root, 'srv/empty'), { recursive: true });
    mkdirSync(join(root, 'dev'));
    mkdirSync(join(root, 'tmp'));
    writeFileSync(join(root, 'etc/hostname'), 'box\n');
    writeFileSync(join(root, 'etc/app/config file'), 'key = value\n'.repeat(300));
    writeFileSync(join(root, 'srv/tool'), '#!/bin/sh\necho tool\n');
    chownSync(join(root, 'srv/tool'), 1234, 5678);
    chmodSync(join(root, 'srv/tool'), 0o4750);
    chmodSync(join(root, 'tmp'), 0o1777);
    chmodSync(join(root, 'srv/empty'), 0o700);
    chownSync(join(root, 'srv/empty'), 42, 43);
    linkSync(join(root, 'etc/hostname'), join(root, 'srv/hard'));
    symlinkSync('tool', join(root, 'srv/link'));
    symlinkSync('/nowhere/at/all', join(root, 'srv/dangling'));
    lchownSync(join(root, 'srv/dangling'), 7, 8);
    const mk = (args) => {
        const r = spawnSync('mknod', args, { encoding: 'utf8' });
        if (r.status !== 0)
            throw new Error(`mknod ${args.join(' ')}: ${r.stderr}`);
    };
    mk([join(root, 'dev/null'), 'c', '1', '3']);
    mk([join(root, 'dev/loop9'), 'b', '7', '9']);
    mk(['-m', '0600', join(root, 'dev/fifo'), 'p']);
    const setfattr = spawnSync('setfattr', ['-n', 'user.osbuild', '-v', 'kept', join(root, 'etc/hostname')], { encoding: 'utf8' });
    if (setfattr.status !== 0)
        throw new Error(`setfattr (package attr): ${setfattr.stderr ?? setfattr.error?.message}`);
    spawnSync('setfattr', ['-n', 'security.capability', '-v', '0x0100000200200000000000000000000000000000', join(root, 'srv/tool')]);
    utimesSync(join(root, 'etc/app/config file'), 1_000_000_000, 1_000_000_000);
    for (const dir of ['etc/app', 'etc', 'srv/empty', 'srv', 'dev', 'tmp', '.'])
        utimesSync(join(root, dir), 1_500_000_000, 1_500_000_000);
    return root;
}
//# sourceMappingURL=tree-listing.js.map