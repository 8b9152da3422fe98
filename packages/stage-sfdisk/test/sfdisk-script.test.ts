import { describe, expect, it } from 'vitest';
import { sfdiskScript } from '../src/sfdisk-script.js';

describe('sfdiskScript', () => {
  it('writes upstream\'s script: label, label-id, then each partition\'s set fields in order', () => {
    const script = sfdiskScript(
      { label: 'gpt', uuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0' },
      [
        { start: 2048, size: 2048, type: 'U', name: 'EFI System', uuid: 'FAC7F1FB-3E8D-4137-A512-961DE09A5549', attrs: [0, 2, 5, 48] },
        { size: 0, start: 0, type: '', name: '', bootable: true },
        { partnum: 4, size: 100 },
      ],
      '/dev/loop7',
    );
    expect(script).toBe(
      [
        'label: gpt',
        'label-id: D209C89E-EA5E-4FBD-B161-B461CCE297E0',
        'start="2048", size="2048", type="U", name="EFI System", uuid="FAC7F1FB-3E8D-4137-A512-961DE09A5549", attrs="RequiredPartition,LegacyBIOSBootable,48"',
        'bootable',
        '/dev/loop7p4: size="100"',
      ].join('\n'),
    );
  });

  it('writes a table without partitions', () => {
    expect(sfdiskScript({ label: 'mbr', uuid: '0x14fc63d2' }, [], '/dev/loop0')).toBe('label: mbr\nlabel-id: 0x14fc63d2');
  });
});
