import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

const bin = join(import.meta.dirname, '..', 'bin', 'osbuild-debian-pin.js');

function testdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pin-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function pinCli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('osbuild-debian-pin', () => {
  it('prints its usage with --help', () => {
    const r = pinCli(['--help'], testdir());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: osbuild-debian-pin [options] [NAME=]DESCRIPTION.json...');
  });

  it('is a usage error without a description or with an unknown flag', () => {
    const dir = testdir();
    expect(pinCli([], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('no description given') });
    expect(pinCli(['--frobnicate', 'x.json'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--frobnicate'") });
  });

  it('rejects an invalid description before touching the network', () => {
    const dir = testdir();
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ suite: 'bookworm', variant: 'huge' }));
    const r = pinCli(['d.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('d.json: invalid description:\n  .variant: one of none, essential, minbase');
  });

  it('refuses a template that names a description not given, before pinning', () => {
    const dir = testdir();
    writeFileSync(join(dir, 'debian.json'), JSON.stringify({ suite: 'bookworm' }));
    writeFileSync(join(dir, 't.json'), JSON.stringify({ pipelines: [{ r: { 'osbuild-ts:debian-pin': 'other' } }] }));
    const r = pinCli(['--template', 't.json', 'debian.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('osbuild-debian-pin: the template refers to description other, which is not given\n  hint: name a description file NAME=FILE.json (given: debian)\n');
  });

  it('fills a template into --output, the same bytes every time', () => {
    const dir = testdir();
    writeFileSync(join(dir, 'debian.json'), JSON.stringify({ suite: 'bookworm', variant: 'none', packages: ['hostname'] }));
    const template = {
      version: '2',
      pipelines: [
        {
          name: 'os',
          stages: [
            {
              type: 'io.github.osbuild-ts.debian.install',
              inputs: { debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { 'osbuild-ts:debian-pin': 'debian' } } },
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'manifest.in.json'), JSON.stringify(template));
    const r = pinCli(['--template', 'manifest.in.json', '--output', 'manifest.json', 'debian.json'], dir);
    expect(r.stderr).toContain('debian: bookworm from the host\'s apt source');
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(text);
    const refs = manifest.pipelines[0].stages[0].inputs.debs.references as { id: string; options: { metadata: Record<string, string> } }[];
    expect(refs.map((x) => x.options.metadata['deb.package'])).toContain('hostname');
    expect(Object.keys(manifest.sources['org.osbuild.curl'].items)).toEqual(refs.map((x) => x.id));
    const again = pinCli(['-q', '--no-update', '--template', 'manifest.in.json', 'debian.json'], dir);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(text);
  });

  it('exits 2 naming an unknown package', () => {
    const dir = testdir();
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ suite: 'bookworm', variant: 'none', packages: ['no-such-package-osbuild-ts'] }));
    const r = pinCli(['-q', '--no-update', 'd.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^osbuild-debian-pin: unknown package no-such-package-osbuild-ts: not in bookworm/);
    expect(r.stdout).toBe('');
  });
});
