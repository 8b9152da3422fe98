import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { posix } from 'node:path';
/**
 * Turns an osbuild location (`tree:///p`, `mount://name/p`, `input://name/p`,
 * or a plain path meaning the tree) into a path in the sandbox. Refuses
 * locations that climb out of their root with `..`.
 */
export function resolveLocation(args, location) {
    return locationParts(args, location).path;
}
/** A location's root (the tree, a mount's or an input's directory) and the path it names under it. */
export function locationParts(args, location) {
    const match = /^(tree|mount|input):\/\/([^/]*)(\/.*)?$/.exec(location);
    let root;
    let rest;
    if (!match) {
        root = args.tree;
        rest = location;
    }
    else {
        const [, scheme, name, path] = match;
        rest = path ?? '/';
        if (scheme === 'tree') {
            if (name !== '')
                throw new Error(`${location}: tree:// takes no name (write tree:///path)`);
            root = args.tree;
        }
        else if (scheme === 'mount') {
            const mount = args.mounts[name];
            if (!mount)
                throw new Error(`${location}: no mount named "${name}" (mounts: ${Object.keys(args.mounts).join(', ') || 'none'})`);
            root = mount.path;
        }
        else {
            const input = args.inputs[name];
            if (!input)
                throw new Error(`${location}: no input named "${name}" (inputs: ${Object.keys(args.inputs).join(', ') || 'none'})`);
            root = input.path;
        }
    }
    const normal = posix.normalize('/' + rest);
    const climbing = posix.normalize(rest.replace(/^\/+/, '') || '.');
    if (climbing === '..' || climbing.startsWith('../')) {
        // As osbuild reads it: ".." above the root stays at the root. Say so, since it is never what was meant.
        process.stdout.write(`WARNING: ${location}: ".." above the root of the location is ignored; using ${posix.join(root, normal)}\n`);
    }
    if (normal.split('/').includes('..'))
        throw new Error(`${location}: path leaves its root`);
    return { root, path: posix.join(root, normal) };
}
/**
 * Refuses a path under `root` whose existing components include a symlink
 * that leads out of `root` (an absolute link, or one climbing with `..`,
 * left by an earlier stage or an archive): writing through it would put
 * files outside the tree, in the sandbox or on the host, and lose them.
 * Components that do not exist yet are fine (they will be made inside).
 * The message names `what` (the option or member) and the link.
 */
export function refuseLinksOut(root, path, what) {
    const relative = posix.relative(root, path);
    if (relative === '' || relative.startsWith('..'))
        return;
    const realRoot = realpathSync(root);
    let current = root;
    for (const part of relative.split('/')) {
        current = posix.join(current, part);
        let link;
        try {
            if (!lstatSync(current).isSymbolicLink())
                continue;
            link = readlinkSync(current);
        }
        catch {
            return; // does not exist yet: what follows is made inside
        }
        let target;
        try {
            target = realpathSync(current);
        }
        catch {
            target = posix.resolve(realpathSync(posix.dirname(current)), link); // dangling: where it points
        }
        if (!isWithin(realRoot, target)) {
            throw new Error(`${what}: refused: ${posix.relative(root, current)} is a symlink to ${link}, which leads out of ${root}; nothing was written through it`);
        }
    }
}
function isWithin(root, target) {
    const relative = posix.relative(root, target);
    return relative === '' || (relative !== '..' && !relative.startsWith('../') && !posix.isAbsolute(relative));
}
//# sourceMappingURL=paths.js.map