/** Whether a command is on PATH: for tests that need a tool the machine may lack. */
export declare function hasCommand(command: string): boolean;
