import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseDeb822 } from '../src/deb822.js';
import { makeLocalRepo } from '../src/local-repo.js';
import { pinnedInputs, type PinnedInput } from '../src/testing.js';

function testdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'local-repo-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('makeLocalRepo', () => {
  let pinned: PinnedInput;
  beforeAll(async () => {
    pinned = await pinnedInputs({ small: { suite: 'bookworm', variant: 'none', packages: ['hostname'] } });
    return () => rmSync(join(pinned.inputs.get('small')!.path, '..'), { recursive: true, force: true });
  });

  it('indexes the input files with control fields, checksum, size, and the pinned priority', async () => {
    const input = pinned.inputs.get('small')!;
    const files = Object.fromEntries(Object.entries(input.files).map(([k, v]) => [k, v['deb.package'] === 'hostname' ? { ...v, 'deb.priority': 'extra' } : v]));
    const dir = join(testdir(), 'repo');
    const repo = await makeLocalRepo({ inputDir: input.path, files, dir, suite: 'bookworm' });
    expect(repo.sourcesLine).toBe(`deb [trusted=yes] copy://${dir} ./`);
    const set = pinned.sets.get('small')!.packages;
    expect(repo.packages.map((p) => p.name)).toEqual(set.map((p) => p.name));
    const index = parseDeb822(readFileSync(join(dir, 'Packages'), 'utf8'));
    const hostname = index.find((s) => s.get('Package') === 'hostname')!;
    const pinnedHostname = set.find((p) => p.name === 'hostname')!;
    expect(hostname.get('Priority')).toBe('extra');
    expect(hostname.get('SHA256')).toBe(pinnedHostname.sha256);
    expect(hostname.get('Size')).toBe(String(pinnedHostname.size));
    expect(hostname.get('Filename')).toBe(`./${pinnedHostname.sha256}.deb`);
    expect(readFileSync(join(dir, 'Release'), 'utf8')).toMatch(/^Suite: bookworm\nCodename: bookworm\nDate: .*\nSHA256:\n [0-9a-f]{64} \d+ Packages\n$/);
  });

  it('is an index apt reads and installs from (every file of the directory without data.files)', async () => {
    const input = pinned.inputs.get('small')!;
    const work = testdir();
    const repo = await makeLocalRepo({ inputDir: input.path, dir: join(work, 'repo'), suite: 'bookworm' });
    for (const sub of ['lists/partial', 'archives/partial']) mkdirSync(join(work, sub), { recursive: true });
    writeFileSync(join(work, 'sources.list'), `${repo.sourcesLine}\n`);
    writeFileSync(join(work, 'status'), '');
    const o = [
      `Dir::Etc::sourcelist=${work}/sources.list`,
      `Dir::Etc::sourceparts=${work}/none`,
      `Dir::State::lists=${work}/lists`,
      `Dir::State::status=${work}/status`,
      `Dir::Cache=${work}`,
      `Dir::Cache::archives=${work}/archives`,
      'APT::Sandbox::User=root',
    ].flatMap((x) => ['-o', x]);
    execFileSync('apt-get', [...o, '-q', 'update'], { stdio: 'pipe' });
    const out = execFileSync('apt-get', [...o, '-q', '--download-only', '--yes', 'install', 'hostname'], { encoding: 'utf8' });
    expect(out).toContain('hostname');
    expect(execFileSync('ls', [join(work, 'archives')], { encoding: 'utf8' })).toMatch(/^hostname_.*\.deb$/m);
  });
});
