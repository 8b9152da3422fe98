/** Where the sandbox puts things; the test harness points these elsewhere. */
export declare const ARGUMENTS_PATH = "/run/osbuild/api/arguments";
export declare const META_PATH = "/run/osbuild/meta";
export interface InputArgument {
    path: string;
    data?: {
        files?: Record<string, Record<string, unknown>>;
    } & Record<string, unknown>;
}
export interface DeviceArgument {
    path: string;
    node?: {
        major: number;
        minor: number;
    };
}
export interface MountArgument {
    path: string;
}
/** The arguments document of osbuild's stage contract (spec 8.2). */
export interface StageArguments<Options = Record<string, unknown>> {
    tree: string;
    paths: {
        devices: string;
        inputs: string;
        mounts: string;
    };
    devices: Record<string, DeviceArgument>;
    inputs: Record<string, InputArgument>;
    mounts: Record<string, MountArgument>;
    options: Options;
    meta: {
        id: string;
        'source-epoch'?: number;
    };
}
/** Reads the arguments from the api file, or from stdin where there is none. */
export declare function readArguments<Options = Record<string, unknown>>(): StageArguments<Options>;
