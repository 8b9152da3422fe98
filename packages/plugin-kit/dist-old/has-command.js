import { spawnSync } from 'node:child_process';
/** Whether a command is on PATH: for tests that need a tool the machine may lack. */
export function hasCommand(command) {
    return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}
//# sourceMappingURL=has-command.js.map