import { type StageArguments } from './arguments.js';
/**
 * The body of a stage entry: reads the arguments, runs `body`, and turns a
 * thrown error into one clear line on stderr and exit status 1 (the engine
 * shows it with the stage's name and id).
 */
export declare function runStage<Options = Record<string, unknown>>(body: (args: StageArguments<Options>) => void | Promise<void>): Promise<void>;
