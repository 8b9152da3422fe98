/**
 * The host-service protocol of device and mount plugins (see the engine's
 * README): the engine runs `node <entry>` on the host as root, writes one
 * JSON request line on stdin, and reads one JSON reply line from stdout. The
 * service then keeps what it set up until stdin closes (or a `close` line,
 * or SIGTERM), tears it down and exits: 0 when everything was released.
 * Because teardown hangs on stdin, an engine that dies (even by SIGKILL)
 * still gets its loop devices and mounts released. Logs go to stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
export const HOST_SERVICE_API_VERSION = 1;
/** One line on stderr, which the engine shows with the stage's output. */
export function log(line) {
    process.stderr.write(`${line}\n`);
}
/** Runs a host service for this process: request, reply, wait, teardown, exit status. */
export async function serveHostService(service) {
    const input = stdinLines();
    let tornDown = null;
    const tearDown = () => (tornDown ??= (async () => {
        try {
            await service.tearDown();
            return true;
        }
        catch (error) {
            log(`teardown failed: ${messageOf(error)}`);
            return false;
        }
    })());
    // Our own process group (the engine spawns us detached), but a signal
    // aimed at us still has to release what we hold.
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
        process.on(signal, () => void tearDown().then((ok) => process.exit(ok ? 0 : 1)));
    }
    const first = await input.next();
    if (first === null) {
        log('no request: stdin closed before a request line arrived');
        process.exitCode = 1;
        return;
    }
    try {
        const request = JSON.parse(first);
        if (request.apiVersion !== HOST_SERVICE_API_VERSION) {
            throw new Error(`unsupported host-service apiVersion ${JSON.stringify(request.apiVersion)} (this plugin speaks ${HOST_SERVICE_API_VERSION})`);
        }
        const reply = await service.setUp(request);
        process.stdout.write(`${JSON.stringify(reply)}\n`);
    }
    catch (error) {
        process.stdout.write(`${JSON.stringify({ error: messageOf(error) })}\n`);
        process.exitCode = (await tearDown()) ? 1 : 2;
        return;
    }
    // Until the engine is done with us: stdin closes, or it says "close".
    for (let line = await input.next(); line !== null; line = await input.next()) {
        if (line.trim() === '')
            continue;
        try {
            if (JSON.parse(line).method === 'close')
                break;
        }
        catch {
            log(`ignoring a line that is not JSON: ${line}`);
        }
    }
    process.exitCode = (await tearDown()) ? 0 : 1;
}
/** stdin as lines; null at end of input. */
function stdinLines() {
    let buffer = '';
    let ended = false;
    const lines = [];
    let waiting = null;
    const wake = () => {
        waiting?.();
        waiting = null;
    };
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
        buffer += chunk;
        for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
            lines.push(buffer.slice(0, at));
            buffer = buffer.slice(at + 1);
        }
        wake();
    });
    const end = () => {
        if (buffer !== '')
            lines.push(buffer);
        buffer = '';
        ended = true;
        wake();
    };
    process.stdin.on('end', end);
    process.stdin.on('error', end);
    return {
        async next() {
            while (lines.length === 0 && !ended)
                await new Promise((resolve) => (waiting = resolve));
            return lines.shift() ?? null;
        },
    };
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}
/** Runs a host tool; a non-zero exit throws with its output. */
export function hostTool(command, args) {
    const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (result.error) {
        const missing = result.error.code === 'ENOENT';
        throw new Error(missing ? `${command} is not installed on the host` : `${command}: ${result.error.message}`);
    }
    if (result.status !== 0) {
        const output = `${result.stderr}${result.stdout}`.trim();
        throw new Error(`${[command, ...args].join(' ')} failed (exit status ${result.status})${output ? `: ${output}` : ''}`);
    }
    return result.stdout;
}
/**
 * osbuild's mount option translation (mounts.py FileSystemMountService):
 * each plugin's schema decides which of these it accepts.
 */
export function fileSystemMountOptions(options) {
    const out = [];
    if (options['readonly'])
        out.push('ro');
    if (options['norecovery'])
        out.push('norecovery');
    for (const key of ['uid', 'gid', 'umask', 'shortname', 'subvol', 'compress']) {
        if (options[key] !== undefined)
            out.push(`${key}=${String(options[key])}`);
    }
    return out;
}
/**
 * Where partition `n` of `device` lies, in bytes. Loop devices on this kind
 * of host get no partition nodes, so a partition is mounted through a loop
 * device of its own over that byte range (mount's `offset`/`sizelimit`).
 */
export function partitionRange(device, partition) {
    let table;
    try {
        table = JSON.parse(hostTool('sfdisk', ['--json', device]));
    }
    catch (error) {
        throw new Error(`partition ${partition}: cannot read the partition table of ${device}: ${messageOf(error)}`);
    }
    const partitions = table.partitiontable?.partitions ?? [];
    const entry = partitions[partition - 1];
    if (entry === undefined) {
        throw new Error(`partition ${partition}: ${device} has ${partitions.length} partition${partitions.length === 1 ? '' : 's'}`);
    }
    const sector = table.partitiontable?.sectorsize ?? 512;
    return { offset: entry.start * sector, size: entry.size * sector };
}
/**
 * A complete mount service for a block-device file system: mounts the source
 * (or one partition of it) at the mountpoint, private (nothing propagates to
 * or from the host), and on teardown syncs and unmounts it.
 */
export function fileSystemMount(spec) {
    let mounted = null;
    return {
        setUp(request) {
            // Messages need not name the mount: the engine puts its manifest path in front.
            if (request.source === null)
                throw new Error('needs a "source" device');
            const options = (spec.mountOptions ?? fileSystemMountOptions)(request.options ?? {});
            let source = request.source;
            if (request.partition !== null && request.partition > 0) {
                const node = `${source}p${request.partition}`;
                if (existsSync(node))
                    source = node;
                else {
                    const range = partitionRange(source, request.partition);
                    options.push('loop', `offset=${range.offset}`, `sizelimit=${range.size}`);
                }
            }
            mkdirSync(request.mountpoint, { recursive: true });
            log(`mounting ${source} -> ${request.mountpoint}`);
            const args = ['--make-private', '-t', spec.fsType, ...(options.length ? ['-o', options.join(',')] : []), '--source', source, '--target', request.mountpoint];
            hostTool('mount', args);
            mounted = request.mountpoint;
            return { path: request.mountpoint };
        },
        async tearDown() {
            if (mounted === null)
                return;
            const point = mounted;
            try {
                hostTool('sync', ['-f', point]);
            }
            catch (error) {
                log(messageOf(error)); // umount writes everything back anyway
            }
            // A process of the stage may take a moment to let go (about 10 s in all).
            for (let attempt = 0;; attempt++) {
                try {
                    hostTool('umount', [point]);
                    break;
                }
                catch (error) {
                    if (attempt < 20) {
                        await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
                        continue;
                    }
                    // Still busy: detach it from the tree anyway (it goes when its last user does), and fail.
                    spawnSync('umount', ['--lazy', point], { stdio: 'ignore' });
                    mounted = null;
                    throw error;
                }
            }
            mounted = null;
            log(`unmounted ${point}`);
        },
    };
}
/**
 * Runs a host-service entry the way the engine does (for a plugin's own
 * tests): sends `request`, waits for the reply line, and leaves the service
 * running until `close()`.
 */
export async function openHostService(entry, request) {
    const child = spawn(process.execPath, [entry], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    child.stdin.write(`${JSON.stringify(request)}\n`);
    const reply = await new Promise((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
            stdout += chunk;
            const at = stdout.indexOf('\n');
            if (at >= 0)
                resolve(stdout.slice(0, at));
        });
        child.on('error', reject);
        void exited.then((code) => reject(new Error(`${entry} exited (${code}) before replying: ${stderr.trim()}`)));
    });
    return {
        reply: JSON.parse(reply),
        stderr: () => stderr,
        async close() {
            child.stdin.end();
            return { exitCode: await exited, stderr };
        },
    };
}
//# sourceMappingURL=host-service.js.map