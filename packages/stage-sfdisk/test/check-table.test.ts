import { describe, expect, it } from 'vitest';
import { checkTable } from '../src/check-table.js';
import type { SfdiskOptions } from '../src/sfdisk-options.js';

const GPT = 'D209C89E-EA5E-4FBD-B161-B461CCE297E0';
const names = (kind: 'dos' | 'gpt') => new Set(kind === 'gpt' ? ['efi system', 'linux filesystem'] : ['linux', 'w95 fat32']);
const check = (options: SfdiskOptions) => checkTable(options, names);

describe('checkTable', () => {
  it('accepts type GUIDs, hex codes, sfdisk shortcuts and type names', () => {
    expect(check({ label: 'gpt', uuid: GPT, partitions: [{ type: '0fc63daf-8483-4772-8e79-3d69d8477de4' }, { type: 'uefi' }, { type: 'EFI System' }, { type: 'H' }] })).toEqual([]);
    expect(check({ label: 'dos', uuid: '0x14fc63d2', partitions: [{ type: '83' }, { type: '0xEF' }, { type: 'Ex' }, { type: 'w95 FAT32' }] })).toEqual([]);
    expect(check({ label: 'mbr', uuid: GPT, partitions: [{ type: 'c' }] })).toEqual([]);
  });

  it('refuses a type sfdisk would turn into "Empty" or fail on, saying what it expects', () => {
    expect(() => check({ label: 'dos', uuid: '0x1', partitions: [{ type: '83' }, { type: 'bogus' }] })).toThrow(
      'partitions[1].type "bogus" is not a dos partition type; expected a one-byte hex code (83, 0xef), one of sfdisk\'s shortcuts',
    );
    // "home" has no dos code, and sfdisk's shortcuts are case-sensitive.
    expect(() => check({ label: 'dos', uuid: '0x1', partitions: [{ type: 'home' }] })).toThrow('partitions[0].type "home"');
    expect(() => check({ label: 'gpt', uuid: GPT, partitions: [{ type: 'LINUX' }] })).toThrow('partitions[0].type "LINUX" is not a gpt partition type');
    expect(() => check({ label: 'gpt', uuid: GPT, partitions: [{ type: '83' }] })).toThrow('expected a type GUID');
    expect(() => check({ label: 'dos', uuid: '0x1', partitions: [{ type: '0x1ff' }] })).toThrow('"0x1ff"');
  });

  it('refuses table ids sfdisk would replace or misread', () => {
    expect(() => check({ label: 'gpt', uuid: '0x14fc63d2' })).toThrow('uuid "0x14fc63d2": a gpt table\'s id must be a UUID');
    expect(() => check({ label: 'dos', uuid: 'disk one' })).toThrow('uuid "disk one": a dos table\'s id is a 32-bit hex number');
  });

  it('refuses partition UUIDs that are not UUIDs, text that breaks the script, slot 0', () => {
    expect(() => check({ label: 'gpt', uuid: GPT, partitions: [{ uuid: 'root' }] })).toThrow('partitions[0].uuid "root" is not a UUID');
    expect(() => check({ label: 'gpt', uuid: GPT, partitions: [{ name: 'say "root"' }] })).toThrow('partitions[0].name "say \\"root\\"": sfdisk\'s script cannot hold');
    expect(() => check({ label: 'gpt', uuid: GPT, partitions: [{ name: 'a\nb' }] })).toThrow('cannot hold');
    expect(() => check({ label: 'gpt', uuid: GPT, partitions: [{ partnum: 0 }] })).toThrow('partitions[0].partnum 0: partition numbers start at 1');
  });

  it('notes options the table type ignores', () => {
    expect(check({ label: 'gpt', uuid: GPT, partitions: [{ bootable: true, attrs: [2, 7, 30, 50] }] })).toEqual([
      'partitions[0]: "bootable" is for dos tables and sfdisk ignores it on gpt (gpt\'s is attrs [2], LegacyBIOSBootable)',
      'partitions[0].attrs: bits 7, 30 are reserved by UEFI and left out, as osbuild does',
    ]);
    expect(check({ label: 'dos', uuid: '0x1', partitions: [{ name: 'root', attrs: [], uuid: GPT }] })).toEqual([
      'partitions[0]: "name" is for gpt tables and sfdisk ignores it on dos',
      'partitions[0]: "uuid" is for gpt tables and sfdisk ignores it on dos',
    ]);
  });
});
