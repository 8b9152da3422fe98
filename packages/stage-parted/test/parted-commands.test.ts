import { describe, expect, it } from 'vitest';
import { partedCommands } from '../src/parted-commands.js';

describe('partedCommands', () => {
  it('is upstream\'s script: sectors, the label, each partition with its boot flag then its type flag', () => {
    expect(
      partedCommands('gpt', [
        { start: 2048, size: 2048, name: 'BIOS-BOOT', type: 'bios_grub' },
        { start: 4096, size: 4096, name: 'EFI System', bootable: true },
        { start: 8192, size: 10 },
      ]),
    ).toEqual([
      'unit', 's', 'mklabel', 'gpt',
      'mkpart', '"BIOS-BOOT"', '2048', '4095', 'set', '1', 'bios_grub', 'on',
      'mkpart', '"EFI System"', '4096', '8191', 'set', '2', 'boot', 'on',
      'mkpart', '""', '8192', '8201',
    ]);
  });
});
