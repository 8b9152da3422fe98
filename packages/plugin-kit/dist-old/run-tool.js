import { closeSync, openSync } from 'node:fs';
import * as cp from 'node:child_process';
function childProcess() { return cp; }
/**
 * Runs a tool from the build root (`/usr` in the sandbox), streaming its output
 * into the stage's output. A non-zero exit throws, naming the command.
 */
export function runTool(command, args, options = {}) {
    const out = options.stdoutFile === undefined ? 'inherit' : openSync(options.stdoutFile, 'w');
    let result;
    try {
        result = childProcess().spawnSync(command, args, {
            cwd: options.cwd,
            env: { ...process.env, ...options.env },
            input: options.input,
            stdio: [options.input === undefined ? 'inherit' : 'pipe', out, 'inherit'],
        });
    }
    finally {
        if (typeof out === 'number')
            closeSync(out);
    }
    if (result.error)
        throw new Error(`${command}: ${result.error.message}`);
    if (result.status !== 0) {
        const how = result.signal ? `killed by ${result.signal}` : `exit status ${result.status}`;
        throw new Error(`${[command, ...args].join(' ')} failed (${how})`);
    }
}
/** Like runTool, but returns stdout (stderr still streams). */
export function captureTool(command, args, options = {}) {
    const result = childProcess().spawnSync(command, args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        input: options.input,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'inherit'],
    });
    if (result.error)
        throw new Error(`${command}: ${result.error.message}`);
    if (result.status !== 0)
        throw new Error(`${[command, ...args].join(' ')} failed (exit status ${result.status})`);
    return result.stdout;
}
//# sourceMappingURL=run-tool.js.map