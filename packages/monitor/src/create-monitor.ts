import { createJsonSeqMonitor } from './json-seq-monitor.js';
import { createLogMonitor } from './log-monitor.js';
import { createProgressMonitor } from './progress/progress-monitor.js';
import type { Monitor, MonitorContext, MonitorName, MonitorOptions, MonitorOutput } from './types.js';

export const MONITOR_NAMES: readonly MonitorName[] = ['NullMonitor', 'LogMonitor', 'JSONSeqMonitor', 'progress'];

export function isMonitorName(name: string): name is MonitorName {
  return (MONITOR_NAMES as readonly string[]).includes(name);
}

function nullMonitor(): Monitor {
  return { name: 'NullMonitor', begin: () => undefined, event: () => undefined, end: () => undefined, summary: () => '' };
}

/**
 * The monitor `--monitor NAME` asks for, writing to `out`: osbuild's
 * `NullMonitor`, `LogMonitor` and `JSONSeqMonitor` (same bytes as osbuild),
 * or `progress`, the human view.
 */
export function createMonitor(name: MonitorName, out: MonitorOutput, context: MonitorContext, options: MonitorOptions = {}): Monitor {
  switch (name) {
    case 'NullMonitor':
      return nullMonitor();
    case 'LogMonitor':
      return createLogMonitor(out, context);
    case 'JSONSeqMonitor':
      return createJsonSeqMonitor(out, context, options);
    case 'progress':
      return createProgressMonitor(out, context, options);
    default:
      throw new TypeError(`Unknown monitor: ${String(name)}`);
  }
}
