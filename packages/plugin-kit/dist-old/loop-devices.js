// Real loop devices for the tests of stages that write to a device (needs vitest).
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { hasCommand } from './has-command.js';
/** Why loop devices cannot be used here (not root, no losetup or loop-control), or null. */
export function loopDevicesUnavailable() {
    if (process.getuid?.() !== 0)
        return 'loop devices need root';
    if (!hasCommand('losetup') || !existsSync('/dev/loop-control'))
        return 'no losetup or /dev/loop-control';
    return null;
}
/** `length` bytes of `file` from `offset` (fewer at its end): to check what a stage wrote where on a disk image. */
export function bytesAt(file, offset, length) {
    const fd = openSync(file, 'r');
    try {
        const buffer = Buffer.alloc(length);
        return buffer.subarray(0, readSync(fd, buffer, 0, length, offset));
    }
    finally {
        closeSync(fd);
    }
}
/** Makes `dir/name`, a sparse file of `bytes`, and returns its path. */
export function sparseFile(dir, name, bytes) {
    const file = join(dir, name);
    execFileSync('truncate', ['--size', String(bytes), file]);
    return file;
}
/**
 * Loop devices that are detached after each test, failed or not. Call it in
 * a test file or `describe` body: it registers an `afterEach`.
 */
export function useLoopDevices() {
    const attached = [];
    const detach = (device) => {
        const index = attached.indexOf(device);
        if (index >= 0)
            attached.splice(index, 1);
        execFileSync('losetup', ['--detach', device]);
    };
    afterEach(() => {
        const failures = [];
        for (const device of [...attached]) {
            try {
                detach(device);
            }
            catch (error) {
                failures.push(error);
            }
        }
        if (failures.length > 0)
            throw new AggregateError(failures, 'could not detach every loop device');
    });
    return {
        attach(file, options = {}) {
            const args = ['--find', '--show'];
            if (options.offset !== undefined)
                args.push('--offset', String(options.offset));
            if (options.sizelimit !== undefined)
                args.push('--sizelimit', String(options.sizelimit));
            if (options.sectorSize !== undefined)
                args.push('--sector-size', String(options.sectorSize));
            const device = execFileSync('losetup', [...args, file], { encoding: 'utf8' }).trim();
            attached.push(device);
            return device;
        },
        detach,
    };
}
/**
 * `devices` for runStageLocally holding one device, `name` (default
 * `device`, what upstream's disk stages read) at `path`, with its node
 * numbers as the engine reports them when `path` is a block device.
 */
export function deviceArgument(path, name = 'device') {
    let rdev = null;
    try {
        const st = statSync(path);
        if (st.isBlockDevice())
            rdev = st.rdev;
    }
    catch {
        // A path that does not exist: for tests of the stage's error.
    }
    return { [name]: rdev === null ? { path } : { path, node: deviceNumbers(rdev) } };
}
/** Linux's dev_t split (glibc's major()/minor()). */
function deviceNumbers(rdev) {
    const dev = BigInt(rdev);
    const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
    const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
    return { major, minor };
}
//# sourceMappingURL=loop-devices.js.map