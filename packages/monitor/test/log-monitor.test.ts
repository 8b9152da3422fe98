import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures, interleaved, play, scenario } from './helpers.js';

// source-epoch is printed in local time, as osbuild does; the fixtures were made in UTC.
beforeAll(() => {
  process.env.TZ = 'UTC';
});

const expected = (name: string) => readFileSync(join(fixtures, `${name}.LogMonitor.txt`), 'utf8');

describe('LogMonitor', () => {
  it('writes the bytes upstream osbuild writes for a successful build', () => {
    expect(play('LogMonitor', scenario('success'))).toBe(expected('success'));
  });

  it('writes the bytes upstream osbuild writes for a failed stage, and nothing of pipelines still running', () => {
    expect(play('LogMonitor', scenario('failure'))).toBe(expected('failure'));
  });

  it('shows pipelines built at the same time one after the other', () => {
    const sc = scenario('success');
    expect(play('LogMonitor', sc, interleaved(sc))).toBe(expected('success'));
  });

  it('starts without a newline and rounds durations half to even, like Python', () => {
    const text = expected('success');
    expect(text.startsWith('starting manifest.jsonPipeline source org.osbuild.curl: ')).toBe(true);
    // 125 ms is an exact tie: Python prints 0.12, toFixed would print 0.13.
    expect(text).toContain('\n⏱  Duration: 0.12s\n');
  });

  it('makes titles bold on a TTY, as osbuild does', () => {
    const sc = scenario('failure');
    const text = play('LogMonitor', sc, undefined, {}, true);
    const bold = (s: string) => `\x1b[0m\x1b[1m${s}\x1b[0m`;
    const plain = expected('failure');
    const pipelineTitle = plain.match(/Pipeline os: [0-9a-f]{64}/)![0];
    const stageTitle = plain.match(/org\.osbuild\.tar: [0-9a-f]{64}/)![0];
    expect(text).toContain(`starting /srv/images/fail.json${bold(pipelineTitle)}\nBuild\n`);
    expect(text).toContain(`${bold(stageTitle)} {\n  "filename": "a.tar"\n}\n`);
    expect(text.replace(/\x1b\[[01]m/g, '')).toBe(plain);
  });
});
