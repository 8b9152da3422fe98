// runStageOffline's other half: runs the stage with runStageLocally in the
// network namespace this process was started in; prints the result and the
// interfaces it saw.
import { networkInterfaces } from 'node:os';
import { runStageLocally } from './run-stage-locally.js';
const result = await runStageLocally(JSON.parse(process.argv[2] ?? '{}'));
process.stdout.write(JSON.stringify({ ...result, interfaces: Object.keys(networkInterfaces()) }));
//# sourceMappingURL=run-stage-offline-child.js.map