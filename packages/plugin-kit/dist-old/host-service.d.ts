export declare const HOST_SERVICE_API_VERSION = 1;
/** Device node numbers, as in osbuild's device replies. */
export interface DeviceNode {
    major: number;
    minor: number;
}
/** What a device service answers: its node, relative to `devdir`. */
export interface DeviceReply {
    path: string;
    node?: DeviceNode;
}
export interface DeviceRequest {
    apiVersion: number;
    kind: 'device';
    /** The device's name in the manifest. */
    name: string;
    type: string;
    options: Record<string, unknown>;
    /** Host path of the stage's tree (where `filename`s live). */
    tree: string;
    /** Host directory holding device nodes (`/dev`). */
    devdir: string;
    /** The parent device's reply, or null. */
    parent: DeviceReply | null;
}
export interface MountRequest {
    apiVersion: number;
    kind: 'mount';
    name: string;
    type: string;
    options: Record<string, unknown>;
    tree: string;
    /** Host path of the source device node, or null for a mount without a device. */
    source: string | null;
    /** Partition number on the source device (1-based), or null. */
    partition: number | null;
    /** The target as written in the manifest, e.g. `/boot/efi`. */
    target: string;
    /** The stage's mount root on the host (`/run/osbuild/mounts` in the sandbox). */
    root: string;
    /** Host path to mount at: `target` inside `root`, checked by the engine not to leave it. */
    mountpoint: string;
}
/** A mount service answers the absolute host path it mounted (inside `root`), or null. */
export interface MountReply {
    path: string | null;
}
export interface HostService<Request, Reply> {
    /** Set up (attach, mount) and return the reply. A throw is reported to the engine; tearDown still runs. */
    setUp(request: Request): Reply | Promise<Reply>;
    /** Release whatever setUp made, also when it failed half-way. */
    tearDown(): void | Promise<void>;
}
/** One line on stderr, which the engine shows with the stage's output. */
export declare function log(line: string): void;
/** Runs a host service for this process: request, reply, wait, teardown, exit status. */
export declare function serveHostService<Request, Reply>(service: HostService<Request, Reply>): Promise<void>;
/** Runs a host tool; a non-zero exit throws with its output. */
export declare function hostTool(command: string, args: readonly string[]): string;
/**
 * osbuild's mount option translation (mounts.py FileSystemMountService):
 * each plugin's schema decides which of these it accepts.
 */
export declare function fileSystemMountOptions(options: Record<string, unknown>): string[];
/**
 * Where partition `n` of `device` lies, in bytes. Loop devices on this kind
 * of host get no partition nodes, so a partition is mounted through a loop
 * device of its own over that byte range (mount's `offset`/`sizelimit`).
 */
export declare function partitionRange(device: string, partition: number): {
    offset: number;
    size: number;
};
export interface FileSystemMountSpec {
    /** The `-t` type mount(8) gets, e.g. `ext4`, `vfat`. */
    fsType: string;
    /** Extra `-o` options from the plugin's options (default: osbuild's translation). */
    mountOptions?: (options: Record<string, unknown>) => string[];
}
/**
 * A complete mount service for a block-device file system: mounts the source
 * (or one partition of it) at the mountpoint, private (nothing propagates to
 * or from the host), and on teardown syncs and unmounts it.
 */
export declare function fileSystemMount(spec: FileSystemMountSpec): HostService<MountRequest, MountReply>;
export interface OpenedHostService<Reply> {
    /** The service's reply, or `{error}` when it failed to set up. */
    reply: Reply | {
        error: string;
    };
    /** Everything it wrote to stderr so far. */
    stderr(): string;
    /** Close its stdin and wait for it to tear down and exit. */
    close(): Promise<{
        exitCode: number | null;
        stderr: string;
    }>;
}
/**
 * Runs a host-service entry the way the engine does (for a plugin's own
 * tests): sends `request`, waits for the reply line, and leaves the service
 * running until `close()`.
 */
export declare function openHostService<Reply>(entry: string, request: object): Promise<OpenedHostService<Reply>>;
