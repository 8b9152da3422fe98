/**
 * Fails with a message naming the tool and the package that provides it when
 * `command` is not on PATH (in the sandbox: the build root's /usr).
 */
export declare function requireTool(command: string, debianPackage: string): void;
