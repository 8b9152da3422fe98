import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootToLogin, ovmf } from '@osbuild-ts/image-kit/testing';
import { deviceArgument, hasCommand, loopDevicesUnavailable, runStageLocally, useLoopDevices, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { entry, espOnLoop, testdir } from './helpers.js';

const grub2EfiEntry = join(import.meta.dirname, '..', 'node_modules', '@osbuild-ts', 'stage-grub2-efi', 'dist', 'main.js');
const unavailable = skipReason(
  (process.arch === 'x64' ? null : 'boots x86_64 images') ??
  loopDevicesUnavailable() ??
  (hasCommand('qemu-system-x86_64') ? null : 'needs qemu-system-x86_64 (qemu-system-x86)') ??
  (ovmf() ? null : 'needs OVMF (ovmf)') ??
  (existsSync('/usr/lib/grub/x86_64-efi/normal.mod') ? null : 'needs grub-efi-amd64-bin'),
);

const MARKER = 'the ESP mtools.copy filled booted';

describe.skipIf(unavailable !== null)(`an ESP filled by mtools.copy boots under OVMF (QEMU, TCG)${unavailable ? ` (skipped: ${unavailable})` : ''}`, { tags: ['boot'] }, () => {
  const loops = useLoopDevices();
  it('grub2.efi builds EFI/BOOT/BOOTX64.EFI in the tree, mtools.copy puts the tree\'s /boot/efi on the ESP, the firmware runs its grub.cfg', async () => {
    const dir = testdir('uefi');
    const tree = join(dir, 'tree');
    // What org.osbuild.grub2 with uefi.vendor writes on the ESP, cut down to a grub.cfg that reports and powers off.
    mkdirSync(join(tree, 'boot/efi/EFI/test'), { recursive: true });
    writeFileSync(
      join(tree, 'boot/efi/EFI/test/grub.cfg'),
      ['serial --unit=0 --speed=115200', 'terminal_input serial', 'terminal_output serial', `echo "${MARKER}"`, 'echo "cmdpath=$cmdpath"', 'echo "prefix=$prefix"', 'halt', ''].join('\n'),
    );
    const loader = await runStageLocally({ entry: grub2EfiEntry, tree, options: { vendor: 'test' } });
    expect(loader.exitCode, loader.output).toBe(0);

    const { disk, device } = espOnLoop(dir, loops);
    const copy = await runStageLocally({ entry, tree, devices: deviceArgument(device), inputs: { tree: { path: tree } }, options: { paths: [{ from: 'input://tree/boot/efi/', to: '/' }] }, sourceEpoch: 1_700_000_000 });
    expect(copy.exitCode, copy.output).toBe(0);
    loops.detach(device);

    const boot = await bootToLogin(disk, { uefi: true, format: 'raw', expect: new RegExp(`${MARKER}[\\s\\S]*prefix=\\S+\\n`), timeoutMs: 240_000, memory: 256 });
    expect(boot.ok, boot.serialLog.slice(-2000)).toBe(true);
    // Loaded from the removable-media path of the ESP (the disk's first partition), reading the vendor's grub.cfg there.
    expect(boot.serialLog).toContain('cmdpath=(hd0,gpt1)/EFI/BOOT\n');
    expect(boot.serialLog).toContain('prefix=(hd0,gpt1)/EFI/test\n');
  });
});
