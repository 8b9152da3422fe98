/**
 * Issue #24: untrusted archives. Members with `..`, absolute names, symlinks
 * pointing out of the tree with files written through them, hard links to
 * files outside, and members written through symlinks an earlier stage left
 * in the tree: nothing lands outside the tree, and the output names what was
 * refused. The archives are written byte by byte here (ustar), so each one
 * holds exactly the hostile member; GNU tar from the host extracts them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputArgument } from '@osbuild-ts/plugin-kit';
import { runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

interface Member {
  name: string;
  type?: '0' | '1' | '2' | '5';
  link?: string;
  data?: string;
}

/** A ustar archive of exactly these members. */
function ustar(members: Member[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { name, type = '0', link = '', data = '' } of members) {
    const header = Buffer.alloc(512);
    const field = (offset: number, length: number, value: string) => header.write(value, offset, length, 'utf8');
    const octal = (offset: number, length: number, value: number) => field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
    field(0, 100, name);
    octal(100, 8, type === '5' ? 0o755 : 0o644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, type === '0' ? Buffer.byteLength(data) : 0);
    octal(136, 12, 0);
    field(148, 8, '        ');
    field(156, 1, type);
    field(157, 100, link);
    field(257, 8, 'ustar\x0000');
    let sum = 0;
    for (const byte of header) sum += byte;
    field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header);
    if (type === '0' && data !== '') {
      const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
      body.write(data);
      blocks.push(body);
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function archiveInput(bytes: Buffer): InputArgument {
  const checksum = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const input = testdir('input');
  writeFileSync(join(input, checksum), bytes);
  return { path: input, data: { files: { [checksum]: {} } } };
}

/** Every path under `dir`, for before/after comparisons of what is outside the tree. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

describe('org.osbuild.untar: untrusted archives', () => {
  it('lands nothing outside the tree and names each refused member', async () => {
    const outside = testdir('outside'); // a sibling of the tree: where `../` and links lead
    writeFileSync(join(outside, 'victim'), 'host file\n');
    const before = listing(outside);
    const cases: [string, Member[], number, RegExp][] = [
      ['a member with ../', [{ name: 'ok', data: 'fine' }, { name: `../${outside.split('/').at(-1)}/escaped`, data: 'x' }], 1, /Member name contains '\.\.'/],
      ['a member climbing in the middle', [{ name: 'a/../../escaped', data: 'x' }], 1, /a\/\.\.\/\.\.\/escaped: Member name contains '\.\.'/],
      ['a symlink out, then a file through it', [{ name: 'out', type: '2', link: outside }, { name: 'out/through', data: 'x' }], 1, /out\/through: Cannot open: Not a directory/],
      ['a relative symlink out, then a file through it', [{ name: 'up', type: '2', link: '../../../../../../..' + outside }, { name: 'up/through', data: 'x' }], 1, /up\/through: Cannot open: Not a directory/],
      ['a hard link to a file outside by ..', [{ name: 'h', type: '1', link: `../${outside.split('/').at(-1)}/victim` }], 1, /h: Cannot hard link to/],
      ['a hard link to a file outside by absolute name', [{ name: 'h', type: '1', link: join(outside, 'victim') }], 1, /h: Cannot hard link to/],
    ];
    for (const [what, members, exitCode, message] of cases) {
      const tree = testdir('tree');
      const result = await runStageLocally({ entry, tree, inputs: { file: archiveInput(ustar(members)) } });
      expect(result.exitCode, `${what}: ${result.output}`).toBe(exitCode);
      expect(result.output, what).toMatch(message);
      expect(listing(outside), what).toEqual(before);
      expect(readFileSync(join(outside, 'victim'), 'utf8'), what).toBe('host file\n');
      expect(statSync(join(outside, 'victim')).nlink, what).toBe(1);
    }
  });

  it('puts an absolute member inside the tree, saying it removed the leading /', async () => {
    const outside = testdir('outside');
    const tree = testdir('tree');
    const result = await runStageLocally({ entry, tree, inputs: { file: archiveInput(ustar([{ name: join(outside, 'abs'), data: 'x' }])) } });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain("Removing leading `/' from member names");
    expect(existsSync(join(outside, 'abs'))).toBe(false);
    expect(readFileSync(join(tree, outside, 'abs'), 'utf8')).toBe('x');
  });

  it('refuses an archive whose members would pass through a symlink out of the tree that an earlier stage left', async () => {
    for (const kind of ['absolute', 'relative', 'dangling'] as const) {
      const outside = testdir('outside');
      const tree = testdir('tree');
      mkdirSync(join(tree, 'var'));
      writeFileSync(join(tree, 'keep'), 'kept');
      const target = kind === 'absolute' ? outside : kind === 'relative' ? relative(join(tree, 'var'), outside) : join(outside, 'missing');
      symlinkSync(target, join(tree, 'var', 'run'));
      // A link that stays inside (merged /usr) is followed as before.
      mkdirSync(join(tree, 'usr', 'lib'), { recursive: true });
      symlinkSync('usr/lib', join(tree, 'lib'));
      const archive = ustar([{ name: 'lib/inside', data: 'in' }, { name: 'var/run/daemon.pid', data: '1' }]);
      const result = await runStageLocally({ entry, tree, inputs: { file: archiveInput(archive) } });
      expect(result.exitCode, result.output).toBe(1);
      expect(result.output).toContain(`archive member "var/run/daemon.pid": refused: var/run is a symlink to ${target}, which leads out of ${tree}; nothing was written through it`);
      expect(listing(outside), kind).toEqual([]);
      expect(existsSync(join(tree, 'usr', 'lib', 'inside')), kind).toBe(false); // refused before anything was extracted
      // The same archive without the hostile member extracts through the inner link.
      const fine = await runStageLocally({ entry, tree, inputs: { file: archiveInput(ustar([{ name: 'lib/inside', data: 'in' }])) } });
      expect(fine.exitCode, fine.output).toBe(0);
      expect(readFileSync(join(tree, 'usr', 'lib', 'inside'), 'utf8')).toBe('in');
    }
  });

  it('checks a large archive too (13,000 members: a listing of more than 1 MiB)', async () => {
    const outside = testdir('outside');
    const tree = testdir('tree');
    symlinkSync(outside, join(tree, 'out'));
    const long = 'd'.repeat(80);
    const members: Member[] = Array.from({ length: 13_000 }, (_, i) => ({ name: `${long}/${String(i).padStart(6, '0')}` }));
    const hostile = await runStageLocally({ entry, tree, inputs: { file: archiveInput(ustar([...members, { name: 'out/last', data: 'x' }])) } });
    expect(hostile.exitCode, hostile.output.slice(0, 500)).toBe(1);
    expect(hostile.output).toContain('archive member "out/last": refused: out is a symlink to');
    expect(listing(outside)).toEqual([]);
    expect(readdirSync(tree)).toEqual(['out']); // refused before anything was extracted
  });

  it('refuses to extract into a prefix reached through a symlink out of the tree', async () => {
    const outside = testdir('outside');
    const tree = testdir('tree');
    writeFileSync(join(tree, 'keep'), 'kept');
    symlinkSync(outside, join(tree, 'opt'));
    const result = await runStageLocally({ entry, tree, options: { prefix: '/opt' }, inputs: { file: archiveInput(ustar([{ name: 'f', data: 'x' }])) } });
    expect(result.exitCode, result.output).toBe(1);
    expect(result.output).toContain(`refused: opt is a symlink to ${outside}, which leads out of ${tree}`);
    expect(listing(outside)).toEqual([]);
  });
});
