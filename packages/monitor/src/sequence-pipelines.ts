import type { MonitorEvent } from './types.js';

export type Deliver = (event: MonitorEvent, at: number | undefined) => void;

export interface PipelineSequencer {
  push(event: MonitorEvent): void;
  /** Replays whatever is still queued (a successful run has nothing left). */
  flush(): void;
}

/** The last event of a pipeline as osbuild reports it: its end, or its first failed stage. */
function endsPipeline(event: MonitorEvent): boolean {
  return event.type === 'pipeline-end' || (event.type === 'stage-end' && !event.success);
}

function pipelineOf(event: MonitorEvent): string | null {
  switch (event.type) {
    case 'pipeline-start':
    case 'pipeline-end':
    case 'stage-cached':
    case 'stage-waiting':
    case 'stage-start':
    case 'stage-output':
    case 'stage-end':
      return event.pipeline;
    default:
      return null;
  }
}

/**
 * osbuild builds one pipeline after the other; our engine builds independent
 * pipelines at the same time. The osbuild monitors' formats only make sense
 * in sequence, so this shows one pipeline at a time, in the order they
 * started: events of the others wait (with the time they arrived, `at`)
 * until the shown one ends. After a stage fails nothing else is shown,
 * as osbuild stops there.
 */
export function sequencePipelines(deliver: Deliver, now: () => number): PipelineSequencer {
  let active: string | null = null;
  let stopped = false;
  /** Map order is the order the waiting pipelines started. */
  const waiting = new Map<string, { event: MonitorEvent; at: number }[]>();

  const finish = (event: MonitorEvent) => {
    active = null;
    if (event.type === 'stage-end' && !event.success) {
      stopped = true;
      waiting.clear();
    }
  };

  const promote = () => {
    while (active === null && !stopped && waiting.size > 0) {
      const [name, queued] = waiting.entries().next().value!;
      waiting.delete(name);
      active = name;
      for (const { event, at } of queued) {
        deliver(event, at);
        if (endsPipeline(event)) {
          finish(event);
          break;
        }
      }
    }
  };

  return {
    push(event) {
      const name = pipelineOf(event);
      if (name === null) return deliver(event, undefined);
      if (stopped) return;
      active ??= name;
      if (name === active) {
        deliver(event, undefined);
        if (endsPipeline(event)) {
          finish(event);
          promote();
        }
        return;
      }
      let queue = waiting.get(name);
      if (!queue) waiting.set(name, (queue = []));
      queue.push({ event, at: now() });
    },
    flush() {
      for (const queued of waiting.values()) for (const { event, at } of queued) deliver(event, at);
      waiting.clear();
    },
  };
}
