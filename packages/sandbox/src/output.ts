import { StringDecoder } from 'node:string_decoder';

export type OutputStream = 'stdout' | 'stderr';
export type OutputHandler = (line: string, stream: OutputStream) => void;

/** Longest line handed on in one piece; a stage printing megabytes without a newline must not grow memory without bound. */
const MAX_LINE = 64 * 1024;

/**
 * Split a byte stream into lines (without the newline). Bytes are decoded as
 * UTF-8 across chunk boundaries; a final line without newline is delivered at
 * `end()`.
 */
export function lineSplitter(onLine: (line: string) => void): { write(chunk: Buffer): void; end(): void } {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const push = (text: string) => {
    partial += text;
    let newline;
    while ((newline = partial.indexOf('\n')) !== -1) {
      onLine(partial.slice(0, newline));
      partial = partial.slice(newline + 1);
    }
    while (partial.length > MAX_LINE) {
      onLine(partial.slice(0, MAX_LINE));
      partial = partial.slice(MAX_LINE);
    }
  };
  return {
    write: (chunk) => push(decoder.write(chunk)),
    end: () => {
      push(decoder.end());
      if (partial !== '') onLine(partial);
      partial = '';
    },
  };
}

/** The last `size` lines seen, for error messages and results. */
export function lineTail(size: number): { push(line: string): void; lines(): string[] } {
  const kept: string[] = [];
  return {
    push(line) {
      if (size <= 0) return;
      kept.push(line);
      if (kept.length > size) kept.shift();
    },
    lines: () => [...kept],
  };
}

/** Lines a runner may print before its stage starts (Node warnings, bwrap errors) that are kept for replay. */
const MAX_PENDING = 1000;

/**
 * Output of a prewarmed runner can arrive before anyone listens. Hold it
 * until the stage's handler is attached, then replay it in order. A handler
 * that throws is not called again; its error is kept for the caller (it must
 * not become an uncaught exception in a stream listener).
 */
export function outputRelay(): {
  line(line: string, stream: OutputStream): void;
  attach(handler: OutputHandler | undefined, tailSize: number): void;
  tail(): string[];
  handlerError(): unknown;
} {
  let pending: [string, OutputStream][] | null = [];
  let handler: OutputHandler | undefined;
  let failure: { error: unknown } | null = null;
  let tail = lineTail(0);
  const deliver = (line: string, stream: OutputStream) => {
    tail.push(line);
    if (handler === undefined || failure !== null) return;
    try {
      handler(line, stream);
    } catch (error) {
      failure = { error };
    }
  };
  return {
    line(line, stream) {
      if (pending === null) return deliver(line, stream);
      pending.push([line, stream]);
      if (pending.length > MAX_PENDING) pending.shift();
    },
    attach(next, tailSize) {
      handler = next;
      tail = lineTail(tailSize);
      const queued = pending ?? [];
      pending = null;
      for (const [line, stream] of queued) deliver(line, stream);
    },
    tail: () => (pending === null ? tail.lines() : pending.map(([line]) => line)),
    handlerError: () => failure?.error,
  };
}
