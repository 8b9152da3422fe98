import { text } from 'node:stream/consumers';
import { SOURCE_API_VERSION, type ItemMessage, type SourceMessage, type SourceRequest } from './protocol.js';

export type ItemOutcome = Omit<ItemMessage, 'type'>;

export interface SourceReporter {
  /** Bytes of one item so far (throttle it: every few hundred ms is plenty). */
  progress(checksum: string, bytes: number, total?: number): void;
  /** The final word on one item; the first report of a checksum counts. */
  item(outcome: ItemOutcome): void;
  /** A line for the build log. */
  log(line: string): void;
}

/**
 * The body of a source entry: reads the request from stdin, runs `fetchAll`,
 * reports a failure for every item it left unreported, and sets the exit
 * status (0 iff every item succeeded). A thrown error fails the source with
 * one `error` message.
 */
export async function runSource<Item = unknown, Options = Record<string, unknown>, Overrides = Record<string, unknown>>(
  fetchAll: (request: SourceRequest<Item, Options, Overrides>, report: SourceReporter) => Promise<void>,
): Promise<void> {
  const out = createLineBuffer();
  const send = (message: SourceMessage) => out.write(`${JSON.stringify(message)}\n`);
  try {
    await serve(fetchAll, send, out);
  } finally {
    out.flush();
  }
}

async function serve<Item, Options, Overrides>(
  fetchAll: (request: SourceRequest<Item, Options, Overrides>, report: SourceReporter) => Promise<void>,
  send: (message: SourceMessage) => void,
  out: LineBuffer,
): Promise<void> {
  let request: SourceRequest<Item, Options, Overrides>;
  try {
    request = parseRequest<Item, Options, Overrides>(await text(process.stdin));
  } catch (error) {
    send({ type: 'error', message: (error as Error).message });
    process.exitCode = 2;
    return;
  }
  const outcomes = new Map<string, ItemOutcome>();
  const reporter: SourceReporter = {
    progress: (checksum, bytes, total) => send({ type: 'progress', checksum, bytes, ...(total === undefined ? {} : { total }) }),
    item(outcome) {
      if (outcomes.has(outcome.checksum)) return;
      outcomes.set(outcome.checksum, outcome);
      send({ type: 'item', ...outcome });
    },
    // One line per log call: a newline inside would be split by the reader anyway.
    log: (line) => out.write(`${line.replace(/\n+$/, '').replace(/^\{/, ' {')}\n`),
  };
  try {
    await fetchAll(request, reporter);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    send({ type: 'error', message });
    if (process.env.OSBUILD_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    process.exitCode = 1;
    return;
  }
  for (const checksum of Object.keys(request.items)) {
    if (!outcomes.has(checksum)) reporter.item({ checksum, success: false, cached: false, reason: 'fetch', error: 'the source did not report this item' });
  }
  process.exitCode = [...outcomes.values()].every((o) => o.success) ? 0 : 1;
}

function parseRequest<Item, Options, Overrides>(input: string): SourceRequest<Item, Options, Overrides> {
  let doc: unknown;
  try {
    doc = JSON.parse(input);
  } catch (error) {
    throw new Error(`the request on stdin is not JSON: ${(error as Error).message}`);
  }
  const request = doc as Partial<SourceRequest<Item, Options, Overrides>>;
  if (typeof doc !== 'object' || doc === null || request.apiVersion !== SOURCE_API_VERSION) {
    throw new Error(`unsupported source request (apiVersion ${JSON.stringify(request?.apiVersion)}; this plugin speaks apiVersion ${SOURCE_API_VERSION})`);
  }
  for (const key of ['cache', 'tmp'] as const) {
    if (typeof request[key] !== 'string' || request[key] === '') throw new Error(`the request has no "${key}" directory`);
  }
  if (typeof request.items !== 'object' || request.items === null || Array.isArray(request.items)) throw new Error('the request has no "items" object');
  return {
    apiVersion: SOURCE_API_VERSION,
    items: request.items,
    options: (request.options ?? {}) as Options,
    overrides: (request.overrides ?? {}) as Overrides,
    cache: request.cache!,
    tmp: request.tmp!,
    parallel: Number.isInteger(request.parallel) && request.parallel! > 0 ? request.parallel! : 4,
    offline: request.offline === true,
  };
}

interface LineBuffer {
  write(text: string): void;
  flush(): void;
}

/**
 * stdout is a pipe to the engine, and writes to a pipe are synchronous in
 * Node: one write(2) per message (a few hundred per run) woke the engine
 * each time. Lines gathered during one turn of the event loop go out in one
 * write, in order, at the end of that turn.
 */
function createLineBuffer(): LineBuffer {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    process.stdout.write(text);
  };
  return {
    write(text) {
      pending += text;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
