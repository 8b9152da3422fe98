import { describe, expect, it } from 'vitest';
import { lineSplitter, lineTail, outputRelay } from '../src/output.js';

describe('lineSplitter', () => {
  it('splits on newlines across chunks and flushes the last partial line', () => {
    const lines: string[] = [];
    const split = lineSplitter((line) => lines.push(line));
    split.write(Buffer.from('a\nb'));
    split.write(Buffer.from('c\n\nd'));
    split.end();
    expect(lines).toEqual(['a', 'bc', '', 'd']);
  });

  it('decodes UTF-8 split inside a character', () => {
    const lines: string[] = [];
    const split = lineSplitter((line) => lines.push(line));
    const bytes = Buffer.from('⏱ done\n');
    split.write(bytes.subarray(0, 2));
    split.write(bytes.subarray(2));
    split.end();
    expect(lines).toEqual(['⏱ done']);
  });

  it('cuts a line that never ends', () => {
    const lines: string[] = [];
    const split = lineSplitter((line) => lines.push(line));
    split.write(Buffer.alloc(200 * 1024, 'x'));
    expect(lines.length).toBe(3);
    split.end();
    expect(lines.join('').length).toBe(200 * 1024);
  });
});

describe('lineTail', () => {
  it('keeps the last lines', () => {
    const tail = lineTail(2);
    for (const line of ['1', '2', '3']) tail.push(line);
    expect(tail.lines()).toEqual(['2', '3']);
  });
});

describe('outputRelay', () => {
  it('replays what came before the handler, then streams', () => {
    const relay = outputRelay();
    relay.line('early', 'stderr');
    const seen: string[] = [];
    relay.attach((line, stream) => seen.push(`${stream}:${line}`), 10);
    relay.line('late', 'stdout');
    expect(seen).toEqual(['stderr:early', 'stdout:late']);
    expect(relay.tail()).toEqual(['early', 'late']);
  });

  it('keeps a throwing handler from becoming an uncaught exception', () => {
    const relay = outputRelay();
    let calls = 0;
    relay.attach(() => {
      calls++;
      throw new Error('monitor broke');
    }, 10);
    relay.line('a', 'stdout');
    relay.line('b', 'stdout');
    expect(calls).toBe(1);
    expect(relay.handlerError()).toMatchObject({ message: 'monitor broke' });
    expect(relay.tail()).toEqual(['a', 'b']);
  });
});
