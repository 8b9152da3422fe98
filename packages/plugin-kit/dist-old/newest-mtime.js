import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
/**
 * The latest mtime (whole seconds) of anything in the tree: a time for
 * what a stage writes that is not the clock when there is no source epoch.
 */
export function newestMtime(root) {
    let newest = Math.floor(lstatSync(root).mtimeMs / 1000);
    const walk = (dir) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
            const path = join(dir, entry.name);
            newest = Math.max(newest, Math.floor(lstatSync(path).mtimeMs / 1000));
            if (entry.isDirectory())
                walk(path);
        }
    };
    walk(root);
    return newest;
}
//# sourceMappingURL=newest-mtime.js.map