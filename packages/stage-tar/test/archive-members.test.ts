import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { archiveMembers } from '../src/archive-members.js';

function testdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tar-members-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('archiveMembers', () => {
  it('archives the root node by default and with include', () => {
    expect(archiveMembers({ filename: 'x' }, '/nowhere')).toEqual(['.']);
    expect(archiveMembers({ filename: 'x', 'root-node': 'include' }, '/nowhere')).toEqual(['.']);
  });

  it('passes paths verbatim, in order; an empty list means none', () => {
    expect(archiveMembers({ filename: 'x', paths: ['usr', 'etc/os-release'] }, '/nowhere')).toEqual(['usr', 'etc/os-release']);
    expect(archiveMembers({ filename: 'x', paths: [] }, '/nowhere')).toEqual(['.']);
  });

  it('lists the top level for omit, sorted, after -- so a leading - is a name', () => {
    const tree = testdir();
    mkdirSync(join(tree, 'usr'));
    writeFileSync(join(tree, '-odd'), '');
    writeFileSync(join(tree, 'etc'), '');
    expect(archiveMembers({ filename: 'x', 'root-node': 'omit' }, tree)).toEqual(['--', '-odd', 'etc', 'usr']);
  });

  it('refuses omit on an empty tree, which tar would not archive', () => {
    expect(() => archiveMembers({ filename: 'x', 'root-node': 'omit' }, testdir())).toThrow('the input tree is empty');
  });
});
