import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
/**
 * runStageLocally in a fresh network namespace (`unshare --net`, needs
 * root): nothing can be downloaded. `interfaces` are the network interfaces
 * with an address that the stage's process saw (none: the loopback is down).
 */
export function runStageOffline(spec) {
    const child = join(import.meta.dirname, 'run-stage-offline-child.js');
    const r = spawnSync('unshare', ['--net', '--', process.execPath, child, JSON.stringify(spec)], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0)
        throw new Error(`unshare --net failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
}
//# sourceMappingURL=run-stage-offline.js.map