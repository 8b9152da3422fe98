import { statSync } from 'node:fs';
import { captureTool } from './run-tool.js';
/** The device's sector size and length; a regular file counts in 512-byte sectors, as sfdisk does. */
export function deviceGeometry(path) {
    const st = statSync(path);
    if (st.isFile())
        return { sectorSize: 512, sectors: Math.floor(st.size / 512) };
    const [sectorSize = NaN, bytes = NaN] = captureTool('blockdev', ['--getss', '--getsize64', path]).trim().split(/\s+/).map(Number);
    if (!(sectorSize > 0) || !(bytes >= 0))
        throw new Error(`blockdev could not tell the size of ${path}`);
    return { sectorSize, sectors: Math.floor(bytes / sectorSize) };
}
//# sourceMappingURL=device-geometry.js.map