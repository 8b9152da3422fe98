import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

const bin = join(import.meta.dirname, 'fixtures', 'echo-pin.mjs');

function testdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pin-kit-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function echoPin(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, OSBUILD_DEBUG: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('runPinCommand', () => {
  it('prints the usage with --help and -h, exit status 0', () => {
    const dir = testdir();
    for (const flag of ['--help', '-h']) expect(echoPin([flag], dir)).toEqual({ code: 0, stdout: 'usage: echo-pin [options] [NAME=]DESCRIPTION.json...\n', stderr: '' });
  });

  it('pins [NAME=]FILE descriptions and prints the document, progress on stderr unless -q', () => {
    const dir = testdir();
    writeFileSync(join(dir, 'base.json'), JSON.stringify({ items: ['a', 'b'] }));
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ items: ['c'] }));
    const r = echoPin(['base.json', 'extra=x.json'], dir);
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify({ references: { base: ['a', 'b'], extra: ['c'] } }, null, 2)}\n`, stderr: 'pinned 2\n' });
    expect(echoPin(['-q', 'base.json'], dir).stderr).toBe('');
  });

  it('is a usage error (2) for an unknown flag, a duplicate name, an unreadable or invalid file', () => {
    const dir = testdir();
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ items: [] }));
    writeFileSync(join(dir, 'bad.json'), '{');
    writeFileSync(join(dir, 'empty.json'), '{}');
    expect(echoPin(['--frobnicate', 'd.json'], dir)).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^echo-pin: Unknown option '--frobnicate'.*\n {2}hint: echo-pin --help\n$/) });
    expect(echoPin(['d.json', 'd=d.json'], dir)).toMatchObject({ code: 2, stderr: 'echo-pin: two descriptions are named d\n' });
    expect(echoPin(['none.json'], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^echo-pin: cannot read description none\.json: ENOENT/) });
    expect(echoPin(['bad.json'], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^echo-pin: bad\.json: not JSON: /) });
    expect(echoPin(['empty.json'], dir)).toMatchObject({ code: 2, stderr: 'echo-pin: empty.json: invalid description: .items: required\n' });
  });

  it('fills a template into --output atomically; a description it does not use is a warning', () => {
    const dir = testdir();
    writeFileSync(join(dir, 'one.json'), JSON.stringify({ items: ['a'] }));
    writeFileSync(join(dir, 'two.json'), JSON.stringify({ items: ['b'] }));
    writeFileSync(join(dir, 't.json'), JSON.stringify({ sources: { 'test.source': { items: { a: 'kept' } } }, refs: [{ 'test:pin': 'one' }] }));
    const r = echoPin(['--template', 't.json', '--output', 'out.json', 'one.json', 'two.json'], dir);
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'warning: the template does not use description two\npinned 2\n' });
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toEqual({ sources: { 'test.source': { items: { a: 'kept', b: {} } } }, refs: [['a']] });
    expect(readdirSync(dir).sort()).toEqual(['one.json', 'out.json', 't.json', 'two.json']);
  });

  it('refuses a template that names descriptions not given, before pinning', () => {
    const dir = testdir();
    writeFileSync(join(dir, 'one.json'), JSON.stringify({ items: [] }));
    writeFileSync(join(dir, 't.json'), JSON.stringify({ r: [{ 'test:pin': 'x' }, { 'test:pin': 'y' }] }));
    expect(echoPin(['--template', 't.json', 'one.json'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'echo-pin: the template refers to descriptions x, y, which are not given\n  hint: name a description file NAME=FILE.json (given: one)\n',
    });
    expect(echoPin(['--template', 'none.json', 'one.json'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('echo-pin: cannot read template none.json') });
  });

  it('exits 1 for any other failure, with the stack only under OSBUILD_DEBUG', () => {
    const dir = testdir();
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ items: [] }));
    expect(echoPin(['--break', 'd.json'], dir)).toEqual({ code: 1, stdout: '', stderr: 'echo-pin: the resolver broke\n' });
    expect(echoPin(['--break', 'd.json'], dir, { OSBUILD_DEBUG: '1' }).stderr).toMatch(/^echo-pin: the resolver broke\nError: the resolver broke\n {4}at /);
  });
});
