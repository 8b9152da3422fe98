import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createMonitor, type MonitorEvent } from '../src/index.js';
import { fixtures, play, scenario, sink } from './helpers.js';

const ESC = '\x1b';

describe('progress monitor, not a TTY', () => {
  it('prints plain lines: no escape codes, pipelines and stages n/m, cached or built and why, times, a summary', () => {
    const text = play('progress', scenario('success'));
    expect(text).not.toContain(ESC);
    expect(text).toMatch(/^osbuild manifest\.json: 1 source, 3 pipelines to build\n/);
    expect(text).toContain('⇣ source org.osbuild.curl: 2 items\n');
    expect(text).toMatch(/ {2}⇣ org\.osbuild\.curl 2\/2 sha256:3e23e8\w+ 4\.0 KiB\n/);
    expect(text).toMatch(/✓ source org\.osbuild\.curl: 1 fetched, 1 cached, 4\.0 KiB in \d+\.\d\ds( \([\d.]+ [KM]iB\/s\))?\n/);
    expect(text).toContain('▸ pipeline [1/3] build: 2 stages, 1 cached\n');
    expect(text).toContain('  ○ build 1/2 org.osbuild.mkdir  cached\n');
    expect(text).toContain('  ▶ build 2/2 org.osbuild.noop  building (not in store)\n');
    expect(text).toContain('  ✓ build 2/2 org.osbuild.noop  built in 0.13s (not in store)\n');
    expect(text).toMatch(/✓ pipeline build: done in \d+\.\d\ds \(1 built, 1 cached\)\n/);
    expect(text).toContain('○ pipeline fully-cached: cached (2 stages)\n');
    expect(text).toContain('▸ pipeline [2/3] empty: no stages\n');
    expect(text).toContain('▸ pipeline [3/3] tree: 2 stages\n');
    expect(text).toContain('  ✓ tree 1/2 org.osbuild.copy  built in 1.50s (not in store)\n');
    expect(text).toContain('⇢ exported tree to /tmp/out/tree\n');
    expect(text).toMatch(/✓ manifest manifest\.json finished successfully in \d+\.\d\ds\n$/);
  });

  it('says when a stage waits for another build making the same object, and the log formats stay as osbuild prints them', () => {
    const sc = scenario('success');
    const events = sc.steps.map((s) => s.event);
    const at = events.findIndex((e) => e.type === 'stage-start' && e.pipeline === 'build');
    const start = events[at] as Extract<MonitorEvent, { type: 'stage-start' }>;
    const waiting: MonitorEvent = { type: 'stage-waiting', pipeline: start.pipeline, index: start.index, stageType: start.stageType, id: start.id, key: 'ab'.repeat(32) };
    const withWait = [...events.slice(0, at), waiting, ...events.slice(at)];
    expect(play('progress', sc, withWait)).toContain('  … build 2/2 org.osbuild.noop  waiting: another build is making this object (abababababab)\n  ▶ build 2/2');
    for (const name of ['LogMonitor', 'JSONSeqMonitor'] as const) expect(play(name, sc, withWait)).toBe(play(name, sc));
  });

  it('keeps the output of a successful stage quiet', () => {
    const text = play('progress', scenario('success'));
    expect(text).not.toContain('hello');
    expect(text).not.toContain('line 000');
  });

  it('shows everything a stage printed under it when it fails', () => {
    const text = play('progress', scenario('failure'));
    expect(text).not.toContain(ESC);
    expect(text).toContain(
      [
        '  ▶ os 2/3 org.osbuild.tar  building (not in store)',
        '  ✗ os 2/3 org.osbuild.tar  failed after 3.00s',
        '    │ tar: cannot open',
        '    │ Traceback: boom',
        '✗ pipeline os: failed at stage 2/3 org.osbuild.tar',
      ].join('\n'),
    );
    expect(text).not.toContain('other output');
    expect(text).toMatch(/✗ manifest \/srv\/images\/fail\.json failed in \d+\.\d\ds\n$/);
  });

  it('with verbose, streams stage output under its stage as it comes', () => {
    const text = play('progress', scenario('success'), undefined, { verbose: true });
    expect(text).toContain('  ▶ build 2/2 org.osbuild.noop  building (not in store)\n    │ hello é 😀\n    │ \n    │ tab\there "quoted" \\ back\n  ✓ build 2/2');
    expect(text).toContain('    │ line 031 x');
  });

  it('ends with a summary table: pipeline, stage, cached or built, time, why', () => {
    const sc = scenario('success');
    const out = sink(false);
    const monitor = createMonitor('progress', out, sc.context);
    monitor.begin();
    for (const { event } of sc.steps) monitor.event(event);
    monitor.end(true);
    const table = monitor.summary();
    expect(out.text()).toContain(`\n${table.replace(/\d+\.\d\ds in all/, '')}`.split(' · ')[0]!);
    const lines = table.split('\n');
    expect(lines[0]).toBe('Summary');
    expect(lines[1]).toMatch(/^ {2}PIPELINE +STAGE +RESULT +TIME +WHY$/);
    expect(lines.slice(2, 9).map((l) => l.split(/ {2,}/).filter(Boolean))).toEqual([
      ['sources', 'org.osbuild.curl', '1 fetched, 1 cached', expect.stringMatching(/^\d+\.\d\ds$/)],
      ['build', '1/2 org.osbuild.mkdir', 'cached', '-'],
      ['build', '2/2 org.osbuild.noop', 'built', '0.13s', 'not in store'],
      ['fully-cached', '1/2 org.osbuild.noop', 'cached', '-'],
      ['fully-cached', '2/2 org.osbuild.noop', 'cached', '-'],
      ['tree', '1/2 org.osbuild.copy', 'built', '1.50s', 'not in store'],
      ['tree', '2/2 org.osbuild.noop', 'built', '0.00s', 'stage 1 options changed'],
    ]);
    expect(lines[9]).toMatch(/^ {2}6 stages: 3 built, 3 cached; 1 source · \d+\.\d\ds in all$/);
  });

  it('keeps only the last 1000 lines of a stage for its failure report', () => {
    const out = sink(false);
    const monitor = createMonitor('progress', out, { manifestPath: 'm.json', totalSteps: 1, pipelines: [] });
    const base = { pipeline: 'p', index: 0, stageType: 'org.osbuild.noop', id: 'x' };
    monitor.begin();
    monitor.event({ type: 'pipeline-start', pipeline: 'p', id: 'x', stages: 1, cached: 0 });
    monitor.event({ type: 'stage-start', ...base, key: 'k', reason: 'not in store', options: {} });
    for (let i = 0; i < 1500; i++) monitor.event({ type: 'stage-output', ...base, line: `l${i}\x1b[31m` });
    monitor.event({ type: 'stage-end', ...base, success: false, durationMs: 5, metadata: null, output: '' });
    monitor.end(false);
    const text = out.text();
    expect(text).toContain('    │ … 500 earlier lines not shown\n    │ l500\n');
    expect(text).toContain('    │ l1499\n');
    expect(text).not.toContain('l499\n');
    expect(text).not.toContain(ESC);
  });

  it('reports a failed download and its output', () => {
    const out = sink(false);
    const monitor = createMonitor('progress', out, {
      manifestPath: 'm.json',
      totalSteps: 1,
      pipelines: [],
      sources: [{ type: 'org.osbuild.curl', items: new Map([['sha256:aa', 'a'], ['sha256:bb', 'b']]) }],
    });
    monitor.begin();
    // No source-start/source-end: the first event opens the source, end() closes it.
    monitor.event({ type: 'source-log', source: 'org.osbuild.curl', line: 'curl: (22) 404' });
    monitor.event({ type: 'source-item', source: 'org.osbuild.curl', checksum: 'sha256:aa', success: false, cached: false, error: 'exit code 22' });
    monitor.end(false);
    expect(out.text()).toContain('⇣ source org.osbuild.curl: 2 items\n  ✗ org.osbuild.curl 1/2 sha256:aa: exit code 22\n✗ source org.osbuild.curl: 0 fetched, 0 cached, 1 failed in ');
    expect(out.text()).toContain('    │ curl: (22) 404\n');
  });
});

describe('progress monitor on a terminal', () => {
  // util-linux script: runs the command on a new pseudo-terminal and copies what it writes to our stdout.
  const underPty = (scenarioName: string) =>
    promisify(execFile)('script', ['-qfec', `node ${join(fixtures, 'pty-run.mjs')} ${scenarioName}`, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '' },
      timeout: 20_000,
    });

  it('draws live bars and ends with the summary (recorded through a pseudo-terminal with script)', async () => {
    const { stdout } = await underPty('success');
    // cli-progress: cursor hidden, line wrap off, bars redrawn in place (cursor up, clear line).
    expect(stdout).toContain(`${ESC}[?25l`);
    expect(stdout).toContain(`${ESC}[?7l`);
    expect(stdout).toMatch(/\x1b\[\d+A/);
    expect(stdout).toContain(`${ESC}[0K`);
    expect(stdout).toMatch(/ {2}[█░]{20} \d\/4 steps · \d+\.\d\ds/);
    expect(stdout).toMatch(/ {2}⇣ org\.osbuild\.curl [█░]{20} 1\/2 items · [14]\.0 KiB of 4\.0 KiB · [\d.]+ KiB\/s/);
    expect(stdout).toMatch(/ {2}▸ \[3\/3\] tree [█░]{20} [01]\/2 stages · 1\/2 org\.osbuild\.copy \d+\.\d\ds \(not in store\)/);
    // Bars cleared, cursor and wrapping given back, then the summary.
    expect(stdout).toContain(`${ESC}[?25h${ESC}[?7h`);
    const plain = stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
    expect(plain).toContain('Summary\n  PIPELINE      STAGE                  RESULT                TIME  WHY\n');
    expect(plain).toMatch(/ {2}build {9}2\/2 org\.osbuild\.noop {3}built {16}0\.13s {2}not in store\n/);
    expect(plain).toMatch(/✓ manifest manifest\.json finished successfully in \d+\.\d\ds\n$/);
    // Colours on a terminal.
    expect(stdout).toContain(`${ESC}[32m✓${ESC}[0m`);
  });

  it('shows a failed stage’s output under it', async () => {
    const { stdout } = await underPty('failure');
    const plain = stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
    expect(plain).toContain('  ✗ os 2/3 org.osbuild.tar  failed after 3.00s\n    │ tar: cannot open\n    │ Traceback: boom\n');
    expect(plain).toMatch(/✗ manifest \/srv\/images\/fail\.json failed in \d+\.\d\ds\n$/);
  });
});
