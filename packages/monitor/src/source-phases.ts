import type { MonitorEvent, SourceEvent } from './types.js';

export interface SourcePhases {
  /** The event, preceded by the `source-start`/`source-end` it implies. */
  push(event: MonitorEvent): MonitorEvent[];
  /** `source-end` of a source still open (at the end of the run). */
  close(): MonitorEvent[];
}

function isSourceEvent(event: MonitorEvent): event is SourceEvent {
  return event.type.startsWith('source-');
}

/**
 * Makes every source's start and end explicit, so each monitor sees
 * `source-start … source-end` around a source's events whether or not the
 * engine sent them: sources are fetched one type after another, before any
 * pipeline is built.
 */
export function sourcePhases(): SourcePhases {
  let open: string | null = null;
  let failed = false;
  const close = (): MonitorEvent[] => {
    if (open === null) return [];
    const end: SourceEvent = { type: 'source-end', source: open, success: !failed };
    open = null;
    return [end];
  };
  const start = (source: string): MonitorEvent[] => {
    const out = close();
    open = source;
    failed = false;
    return [...out, { type: 'source-start', source }];
  };
  return {
    push(event) {
      if (!isSourceEvent(event)) return [...close(), event];
      switch (event.type) {
        case 'source-start': {
          if (open === event.source) return [];
          const out = close();
          open = event.source;
          failed = false;
          return [...out, event];
        }
        case 'source-end': {
          const out = open === event.source ? [] : start(event.source);
          open = null;
          return [...out, event];
        }
        default: {
          const out = open === event.source ? [] : start(event.source);
          if (event.type === 'source-item' && !event.success) failed = true;
          return [...out, event];
        }
      }
    },
    close,
  };
}
