import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
/**
 * Fails with a message naming the tool and the package that provides it when
 * `command` is not on PATH (in the sandbox: the build root's /usr).
 */
export function requireTool(command, debianPackage) {
    const path = process.env.PATH || '/usr/sbin:/usr/bin';
    for (const dir of path.split(':')) {
        if (dir === '')
            continue;
        try {
            accessSync(join(dir, command), constants.X_OK);
            return;
        }
        catch {
            // Not in this directory.
        }
    }
    throw new Error(`${command} is not in the build root (searched ${path}); it comes with the package "${debianPackage}"`);
}
//# sourceMappingURL=require-tool.js.map