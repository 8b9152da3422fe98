import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeAptConfig } from '../src/apt-config.js';

describe('writeAptConfig', () => {
  it('points apt at the tree for state and dpkg, at the work dir for sources and lists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apt-config-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const tree = join(dir, 'tree');
    const work = join(dir, 'work');
    const file = writeAptConfig({ tree, work, sourcesLine: 'deb [trusted=yes] copy:///r ./', architecture: 'amd64' });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`Dir "${tree}";`);
    expect(text).toContain(`DPkg::Chroot-Directory "${tree}";`);
    expect(text).toContain(`Dir::Cache::archives "${tree}/var/cache/apt/archives";`);
    expect(text).toContain(`Dir::State::lists "${work}/lists";`);
    expect(text).toContain('APT::Architecture "amd64";');
    expect(readFileSync(join(work, 'sources.list'), 'utf8')).toBe('deb [trusted=yes] copy:///r ./\n');
  });
});
