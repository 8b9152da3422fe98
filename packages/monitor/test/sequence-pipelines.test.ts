import { describe, expect, it } from 'vitest';
import { sequencePipelines } from '../src/sequence-pipelines.js';
import type { MonitorEvent } from '../src/types.js';

const start = (pipeline: string): MonitorEvent => ({ type: 'pipeline-start', pipeline, id: pipeline, stages: 1, cached: 0 });
const stageEnd = (pipeline: string, success = true): MonitorEvent => ({
  type: 'stage-end',
  pipeline,
  index: 0,
  stageType: 't',
  id: pipeline,
  success,
  durationMs: 1,
  metadata: null,
  output: '',
});
const end = (pipeline: string): MonitorEvent => ({ type: 'pipeline-end', pipeline, id: pipeline, success: true });

function run(events: MonitorEvent[], flush = false) {
  const seen: string[] = [];
  let clock = 0;
  const sequencer = sequencePipelines((e, at) => seen.push(`${e.type}:${'pipeline' in e ? e.pipeline : ''}${at === undefined ? '' : `@${at}`}`), () => ++clock);
  for (const e of events) sequencer.push(e);
  if (flush) sequencer.flush();
  return seen;
}

describe('sequencePipelines', () => {
  it('shows one pipeline at a time; the others wait with the time they arrived', () => {
    expect(run([start('a'), start('b'), stageEnd('b'), stageEnd('a'), start('c'), end('b'), end('a'), end('c')])).toEqual([
      'pipeline-start:a',
      'stage-end:a',
      'pipeline-end:a',
      'pipeline-start:b@1',
      'stage-end:b@2',
      'pipeline-end:b@4',
      'pipeline-start:c@3',
      'pipeline-end:c',
    ]);
  });

  it('shows nothing more after a stage failed', () => {
    expect(run([start('a'), start('b'), stageEnd('a', false), stageEnd('b'), end('b'), { type: 'export', pipeline: 'a', destination: '/d' }])).toEqual([
      'pipeline-start:a',
      'stage-end:a',
      'export:a',
    ]);
  });

  it('flushes what still waits', () => {
    expect(run([start('a'), start('b')], true)).toEqual(['pipeline-start:a', 'pipeline-start:b@1']);
  });
});
