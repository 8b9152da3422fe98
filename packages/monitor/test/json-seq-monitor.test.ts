import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMonitor } from '../src/index.js';
import { fixtures, interleaved, play, scenario, sink } from './helpers.js';
import { parseJsonSeq } from './rfc7464.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Rec = { [key: string]: Json };

const KEY_ORDER = ['message', 'result', 'context', 'progress', 'options', 'timestamp', 'duration', 'metadata'];
/**
 * Upstream's records for the fixture's events, with one deliberate
 * difference: a stage result whose output is "" keeps `"output": ""`
 * (upstream's omitempty drops it, but its stages never print nothing: its
 * runners always do, so drivers see the key on every stage record).
 */
const expected = (name: string) =>
  readFileSync(join(fixtures, `${name}.JSONSeqMonitor.jsonseq`), 'utf8').replace(/("result": \{"name": "[^"]*", "id": "[0-9a-f]{64}", "success": (?:true|false))\}/g, '$1, "output": ""}');
const records = (text: string) => parseJsonSeq(text) as Rec[];

/** osbuild's context id: sha256 of json.dumps(context with its nulls, sort_keys=True). */
function contextId(c: Rec): string {
  const pipeline = (c.pipeline ?? {}) as Rec;
  const stage = (pipeline.stage ?? {}) as Rec;
  const q = (v: Json | undefined) => (v === undefined || v === null ? 'null' : JSON.stringify(v));
  const text = `{"origin": ${q(c.origin)}, "pipeline": {"id": ${q(pipeline.id)}, "name": ${q(pipeline.name)}, "stage": {"id": ${q(stage.id)}, "name": ${q(stage.name)}}}}`;
  return createHash('sha256').update(text).digest('hex');
}

describe('parseJsonSeq (the strict RFC 7464 reader the tests use)', () => {
  it('rejects what is not json-seq', () => {
    expect(parseJsonSeq('\x1e{"a": 1}\n\x1e[2]\n')).toEqual([{ a: 1 }, [2]]);
    expect(() => parseJsonSeq('{"a": 1}\n')).toThrow(/start with RS/);
    expect(() => parseJsonSeq('\x1e{"a": 1}')).toThrow(/LF/);
    expect(() => parseJsonSeq('\x1e{"a": 1}\ngarbage')).toThrow(/LF/);
    expect(() => parseJsonSeq('\x1e{"a": 1} x\n')).toThrow(/not JSON/);
    expect(() => parseJsonSeq('\x1e{"a": 1}\n\n')).toThrow(/whitespace/);
    expect(() => parseJsonSeq('\x1e\n')).toThrow(/empty/);
  });
});

describe('JSONSeqMonitor', () => {
  it('writes the bytes upstream osbuild writes (same clock) for a successful build', () => {
    expect(play('JSONSeqMonitor', scenario('success'))).toBe(expected('success'));
  });

  it('writes the bytes upstream osbuild writes for a failed stage', () => {
    const sc = scenario('failure');
    const upstreamSaw = sc.steps.filter((s) => !s.dropped).map((s) => s.event);
    expect(play('JSONSeqMonitor', sc, upstreamSaw)).toBe(expected('failure'));
  });

  it('shows nothing of pipelines still running after a stage failed (osbuild would not have run them)', () => {
    const strip = (rs: Rec[]) => rs.map(({ timestamp, ...rest }) => rest);
    expect(strip(records(play('JSONSeqMonitor', scenario('failure'))))).toEqual(strip(records(expected('failure'))));
  });

  it('shows pipelines built at the same time one after the other (their records keep the time they happened)', () => {
    const sc = scenario('success');
    const strip = (rs: Rec[]) => rs.map(({ timestamp, ...rest }) => rest);
    const got = records(play('JSONSeqMonitor', sc, interleaved(sc)));
    expect(strip(got)).toEqual(strip(records(expected('success'))));
    const times = got.map((r) => r.timestamp as number);
    expect(times.every((t) => typeof t === 'number' && t >= 1700000000)).toBe(true);
  });

  for (const name of ['success', 'failure'] as const) {
    it(`${name}: every record has the spec's shape`, () => {
      const rs = records(play('JSONSeqMonitor', scenario(name)));
      const seen = new Set<string>();
      for (const r of rs) {
        const keys = Object.keys(r);
        // Keys in osbuild's order, the three that are never empty always there.
        expect(keys).toEqual(KEY_ORDER.filter((k) => k in r));
        for (const k of ['context', 'progress', 'timestamp']) expect(keys).toContain(k);
        expect(typeof r.timestamp).toBe('number');
        // null and "" removed, recursively in objects (but a stage result's output).
        const check = (v: Json) => {
          if (v && typeof v === 'object' && !Array.isArray(v))
            for (const [key, member] of Object.entries(v)) {
              expect(member).not.toBeNull();
              if (!(v === r.result && key === 'output')) expect(member).not.toBe('');
              check(member);
            }
        };
        check(r);
        // Context: full the first time its id appears, then only the id.
        const ctx = r.context as Rec;
        const id = ctx.id as string;
        expect(id).toMatch(/^[0-9a-f]{64}$/);
        if (seen.has(id)) expect(ctx).toEqual({ id });
        else {
          expect(Object.keys(ctx)).toEqual(['origin', 'pipeline', 'id']);
          expect(contextId(ctx)).toBe(id);
          seen.add(id);
        }
        // Progress: the top level counts sources and pipelines, a sub-progress a pipeline's stages.
        const p = r.progress as Rec;
        expect(Object.keys(p).slice(0, 3)).toEqual(['name', 'total', 'done']);
        expect(p.name).toBe('pipelines/sources');
        if (p.progress) {
          const sub = p.progress as Rec;
          expect(Object.keys(sub)).toEqual(['name', 'total', 'done']);
          expect(sub.name).toMatch(/^pipeline: /);
        }
      }
      const first = rs[0]!;
      expect(first.message).toMatch(/^starting /);
      expect((first.context as Rec).origin).toBe('osbuild.main_cli');
      expect(rs.at(-1)!.message).toBe(name === 'success' ? 'manifest manifest.json finished successfully\n' : 'manifest /srv/images/fail.json failed\n');
    });
  }

  it('a stage that printed nothing still has "output" in its result (osbuild\'s never print nothing)', () => {
    const out = sink(false);
    const monitor = createMonitor('JSONSeqMonitor', out, { manifestPath: 'm.json', totalSteps: 1, pipelines: [] }, { now: () => 1 });
    const base = { pipeline: 'p', index: 0, stageType: 'org.osbuild.mkdir', id: 'x' };
    monitor.begin();
    monitor.event({ type: 'pipeline-start', pipeline: 'p', id: 'x', stages: 1, cached: 0 });
    monitor.event({ type: 'stage-start', ...base, key: 'k', reason: 'not in store', options: {} });
    monitor.event({ type: 'stage-end', ...base, success: true, durationMs: 5, metadata: null, output: '' });
    monitor.end(true);
    const finished = records(out.text()).find((r) => r.message === 'Finished module org.osbuild.mkdir')!;
    expect(finished.result).toEqual({ name: 'org.osbuild.mkdir', id: 'x', success: true, output: '' });
  });

  it('reports stages, pipelines and sources as osbuild does', () => {
    const rs = records(play('JSONSeqMonitor', scenario('success')));
    const messages = rs.map((r) => r.message ?? null);
    expect(messages.filter((m) => typeof m === 'string' && /^(Starting|Finished) /.test(m))).toEqual([
      'Starting pipeline source org.osbuild.curl',
      'Finished module source org.osbuild.curl',
      'Finished pipeline org.osbuild.curl',
      'Starting pipeline build',
      'Starting module org.osbuild.noop',
      'Finished module org.osbuild.noop',
      'Finished pipeline build',
      // `fully-cached` is in the store: osbuild would not build it, no records.
      'Starting pipeline empty',
      'Finished pipeline empty',
      'Starting pipeline tree',
      'Starting module org.osbuild.copy',
      'Finished module org.osbuild.copy',
      'Starting module org.osbuild.noop',
      'Finished module org.osbuild.noop',
      'Finished pipeline tree',
    ]);
    const noop = rs.find((r) => r.message === 'Finished module org.osbuild.noop')!;
    expect(Object.keys(noop.result as Rec)).toEqual(['name', 'id', 'success', 'output']);
    expect(noop.duration).toBe(0.125);
    // The stage's options as written, nulls and "" dropped from objects (not from lists).
    expect(noop.options).toEqual({ zeta: 1, alpha: 1, '10': 'ten', '2': [true, null, ''], 'café': '😀', big: 18446744073709552000, small: 1e-5, nested: { empty: {}, list: [] } });
    expect(noop.metadata).toEqual({ rpm: { packages: ['a', 'b'] } });
    // Output is cut to its last 31000 characters.
    const copy = rs.find((r) => r.message === 'Finished module org.osbuild.copy')!;
    const output = (copy.result as Rec).output as string;
    const hidden = output.match(/^\[\.\.\.(\d+) bytes hidden\.\.\.\]\n/)!;
    expect(output.length - hidden[0].length).toBe(31000);
    expect(Number(hidden[1]) + 31000).toBe(32 * 1000);
    // The final empty read of a stage's output: a record without a message.
    expect(rs.filter((r) => !('message' in r))).toHaveLength(3);
    const source = rs.find((r) => r.message === 'Finished module source org.osbuild.curl')!;
    expect(source.result).toMatchObject({ name: 'source org.osbuild.curl', source_type: 'org.osbuild.curl', success: true, results: [{ error: '' }, { error: '' }] });
  });

  it('ends a pipeline at its failed stage', () => {
    const rs = records(play('JSONSeqMonitor', scenario('failure')));
    const failed = rs.find((r) => r.message === 'Finished module org.osbuild.tar')!;
    expect(failed.result).toEqual({ name: 'org.osbuild.tar', id: expect.any(String), success: false, output: 'tar: cannot open\nTraceback: boom\n' });
    const last = rs.slice(-2);
    expect(last[0]!.message).toBe('Finished pipeline os');
    expect(last[0]!.progress).toEqual({ name: 'pipelines/sources', total: 2, done: 1 });
    expect(JSON.stringify(rs)).not.toContain('other');
  });
});
