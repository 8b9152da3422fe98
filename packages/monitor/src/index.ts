export { createMonitor, isMonitorName, MONITOR_NAMES } from './create-monitor.js';
export type {
  Monitor,
  MonitorContext,
  MonitorEvent,
  MonitorName,
  MonitorOptions,
  MonitorOutput,
  MonitorPipeline,
  MonitorSource,
  SourceEvent,
} from './types.js';
