import { rmSync } from 'node:fs';
/** Removes a file if it is there; says whether it was. Other errors throw. */
export function removeIfPresent(path) {
    try {
        rmSync(path);
        return true;
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return false;
        throw error;
    }
}
//# sourceMappingURL=remove-if-present.js.map