import type { Manifest } from '@osbuild-ts/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as api from '../src/index.js';
import type { MonitorContext } from '../src/index.js';
import { sink } from './helpers.js';

const context = { manifestPath: 'm.json', totalSteps: 0, pipelines: [] };

describe('@osbuild-ts/monitor', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toEqual(['MONITOR_NAMES', 'createMonitor', 'isMonitorName']);
    expect(api.MONITOR_NAMES).toEqual(['NullMonitor', 'LogMonitor', 'JSONSeqMonitor', 'progress']);
    expect(api.isMonitorName('LogMonitor')).toBe(true);
    expect(api.isMonitorName('FancyMonitor')).toBe(false);
  });

  it("takes core's manifest model as it is", () => {
    expectTypeOf<{ manifestPath: string; totalSteps: number; pipelines: Manifest['pipelines']; sources: Manifest['sources'] }>().toExtend<MonitorContext>();
  });

  it('NullMonitor writes nothing', () => {
    const out = sink();
    const monitor = api.createMonitor('NullMonitor', out, context);
    monitor.begin();
    monitor.event({ type: 'pipeline-start', pipeline: 'p', id: null, stages: 0, cached: 0 });
    monitor.end(true);
    expect(out.text()).toBe('');
    expect(monitor.summary()).toBe('');
  });

  it('rejects an unknown monitor, as osbuild does', () => {
    expect(() => api.createMonitor('FancyMonitor' as never, sink(), context)).toThrow('Unknown monitor: FancyMonitor');
  });
});
