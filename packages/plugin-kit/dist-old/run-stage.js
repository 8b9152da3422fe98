import { readArguments } from './arguments.js';
/**
 * The body of a stage entry: reads the arguments, runs `body`, and turns a
 * thrown error into one clear line on stderr and exit status 1 (the engine
 * shows it with the stage's name and id).
 */
export async function runStage(body) {
    try {
        await body(readArguments());
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`${message}\n`);
        if (process.env.OSBUILD_DEBUG)
            process.stderr.write(`${error.stack ?? ''}\n`);
        process.exitCode = 1;
    }
}
//# sourceMappingURL=run-stage.js.map