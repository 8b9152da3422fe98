import { describe, expect, it } from 'vitest';
import { sourcePhases } from '../src/source-phases.js';
import type { MonitorEvent } from '../src/types.js';

const start = (pipeline: string): MonitorEvent => ({ type: 'pipeline-start', pipeline, id: pipeline, stages: 1, cached: 0 });

describe('sourcePhases', () => {
  it('opens a source at its first event and closes it at the next source, a pipeline, or the end', () => {
    const phases = sourcePhases();
    const types = (events: MonitorEvent[]) => events.map((e) => `${e.type}${'source' in e ? `:${e.source}` : ''}${e.type === 'source-end' ? `:${e.success}` : ''}`);
    const out = [
      ...phases.push({ type: 'source-progress', source: 's1', checksum: 'c', bytes: 1 }),
      ...phases.push({ type: 'source-item', source: 's1', checksum: 'c', success: false, cached: false }),
      ...phases.push({ type: 'source-start', source: 's2' }),
      ...phases.push({ type: 'source-start', source: 's2' }),
      ...phases.push(start('p')),
      ...phases.push({ type: 'source-end', source: 's3', success: true }),
      ...phases.push({ type: 'source-log', source: 's4', line: 'x' }),
      ...phases.close(),
    ];
    expect(types(out)).toEqual([
      'source-start:s1',
      'source-progress:s1',
      'source-item:s1',
      'source-end:s1:false',
      'source-start:s2',
      'source-end:s2:true',
      'pipeline-start',
      'source-start:s3',
      'source-end:s3:true',
      'source-start:s4',
      'source-log:s4',
      'source-end:s4:true',
    ]);
  });
});
