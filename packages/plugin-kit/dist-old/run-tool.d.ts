export interface ToolOptions {
    cwd?: string;
    env?: Record<string, string>;
    /** Text for the tool's stdin. */
    input?: string;
    /** runTool only: write the tool's stdout to this file (created or truncated) instead of the stage's output. */
    stdoutFile?: string;
}
/**
 * Runs a tool from the build root (`/usr` in the sandbox), streaming its output
 * into the stage's output. A non-zero exit throws, naming the command.
 */
export declare function runTool(command: string, args: readonly string[], options?: ToolOptions): void;
/** Like runTool, but returns stdout (stderr still streams). */
export declare function captureTool(command: string, args: readonly string[], options?: ToolOptions): string;
