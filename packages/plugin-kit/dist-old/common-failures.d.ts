export interface FailureRun {
    /** The stage's entry (its dist/main.js). */
    entry: string;
    /** Options that are valid apart from what the test takes away. */
    options: Record<string, unknown>;
}
/**
 * A stage that writes to `devices.device` fails naming the devices it got and
 * `role` when there is none, and naming the path when it does not exist
 * (the words of plugin-kit's devicePath). `others`: devices of other names
 * the stage is given instead, which the message must list.
 */
export declare function itFailsWithoutItsDevice(run: FailureRun & {
    role: string;
    others?: readonly string[];
}): void;
/** With nothing on PATH the stage fails before doing anything, naming `tool` and the `package` that ships it (plugin-kit's requireTool). */
export declare function itNamesItsMissingTool(run: FailureRun & {
    tool: string;
    package: string;
    tree?: () => string;
}): void;
