import type { LocalRunOptions, LocalRunResult } from './run-stage-locally.js';
/**
 * runStageLocally in a fresh network namespace (`unshare --net`, needs
 * root): nothing can be downloaded. `interfaces` are the network interfaces
 * with an address that the stage's process saw (none: the loopback is down).
 */
export declare function runStageOffline(spec: LocalRunOptions): LocalRunResult & {
    interfaces: string[];
};
