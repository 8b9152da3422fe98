import type { StageArguments } from './arguments.js';
/** Why loop devices cannot be used here (not root, no losetup or loop-control), or null. */
export declare function loopDevicesUnavailable(): string | null;
/** `length` bytes of `file` from `offset` (fewer at its end): to check what a stage wrote where on a disk image. */
export declare function bytesAt(file: string, offset: number, length: number): Buffer;
/** Makes `dir/name`, a sparse file of `bytes`, and returns its path. */
export declare function sparseFile(dir: string, name: string, bytes: number): string;
export interface LoopOptions {
    /** Where the device starts in the file, in bytes. */
    offset?: number;
    /** How many bytes of the file it covers. */
    sizelimit?: number;
    /** Its logical sector size (512 unless given). */
    sectorSize?: number;
}
export interface LoopDevices {
    /**
     * Attaches a loop device onto `file` (as the loopback device plugin does: a
     * window from `offset`, `sizelimit` bytes long, no partition scan) and
     * returns its path.
     */
    attach(file: string, options?: LoopOptions): string;
    /** Detaches one before the test ends (to read its file with everything flushed). */
    detach(device: string): void;
}
/**
 * Loop devices that are detached after each test, failed or not. Call it in
 * a test file or `describe` body: it registers an `afterEach`.
 */
export declare function useLoopDevices(): LoopDevices;
/**
 * `devices` for runStageLocally holding one device, `name` (default
 * `device`, what upstream's disk stages read) at `path`, with its node
 * numbers as the engine reports them when `path` is a block device.
 */
export declare function deviceArgument(path: string, name?: string): StageArguments['devices'];
