// runStageOffline's other half: runs the stage with runStageLocally in the
// network namespace this process was started in; prints the result and the
// interfaces it saw.
import { networkInterfaces } from 'node:os';
import { runStageLocally, type LocalRunOptions } from './run-stage-locally.js';

const result = await runStageLocally(JSON.parse(process.argv[2] ?? '{}') as LocalRunOptions);
process.stdout.write(JSON.stringify({ ...result, interfaces: Object.keys(networkInterfaces()) }));
