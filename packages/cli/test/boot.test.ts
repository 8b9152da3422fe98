// osbuild boot, through the real binary and QEMU (TCG): the command line it
// runs (--print), --wait-for's exit status and the console's tail when the
// pattern never comes, and a manifest built first, then booted. The images
// are blank or nearly: SeaBIOS's own console lines are what is waited for,
// so these runs take seconds; the samples boot real Debian images.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { osbuild } from './run-cli.js';
import { makeProject } from './project.js';

const dir = mkdtempSync(join(tmpdir(), 'osbuild-boot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const unavailable = skipReason(process.arch !== 'x64' ? 'boots x86_64 guests' : !hasCommand('qemu-system-x86_64') ? 'needs qemu-system-x86' : null);

describe.skipIf(unavailable !== null)(`osbuild boot${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let blank: string;
  let esp: string;
  beforeAll(() => {
    blank = join(dir, 'blank.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', blank, '16M']);
    esp = join(dir, 'esp.raw');
    execFileSync('truncate', ['-s', '16M', esp]);
    execFileSync('sfdisk', ['--quiet', esp], { input: 'label: gpt\nstart=2048, size=8192, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n' });
  });

  it('--print: the QEMU command, -snapshot unless --persist; firmware from the partition table unless --firmware says', async () => {
    const r = await osbuild(['boot', '--print', '--accel', 'tcg', blank]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^qemu-system-x86_64 -machine pc -accel tcg -m 1024 .*-snapshot -drive file=.*blank\.qcow2,format=qcow2,if=virtio\n$/);
    expect(r.stderr).toContain('# firmware: bios (from the image)');
    const uefi = await osbuild(['boot', '--print', '--accel', 'tcg', esp]);
    expect(uefi.stderr).toMatch(/# firmware: uefi \(from the image\)/);
    expect(uefi.stdout).toMatch(/-machine q35 .* if=pflash,format=raw,unit=0,readonly=on,file=\/usr\/share\/OVMF\//);
    const forced = await osbuild(['boot', '--print', '--accel', 'tcg', '--firmware', 'bios', '--persist', '--ssh', '2222', esp]);
    expect(forced.stdout).toMatch(/-machine pc /);
    expect(forced.stdout).not.toContain('-snapshot');
    expect(forced.stdout).toContain('hostfwd=tcp:127.0.0.1:2222-:22');
  });

  it('--wait-for: exit 0 once the console prints it', async () => {
    const r = await osbuild(['boot', '--wait-for', 'Booting from (Hard Disk|Floppy)', '--timeout', '300', blank]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('SeaBIOS');
    expect(r.stderr).toMatch(/osbuild boot: accelerator: (kvm|tcg) \(/);
    expect(r.stderr).toMatch(/osbuild boot: Booting from \(Hard Disk\|Floppy\) seen after \d+\.\d s \(bios, (kvm|tcg)\)/);
  });

  it('--wait-for that never comes: exit 1 with the console\'s last lines (here a dead end, reported at once)', async () => {
    const r = await osbuild(['boot', '--quiet', '--accel', 'tcg', '--wait-for', 'login:', '--timeout', '300', blank]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/osbuild boot: login: not seen: the boot stopped \(bios, tcg, [\d.]+ s\); the console's last lines:\n[^]*No bootable device/);
  });

  it('usage errors name the problem', async () => {
    const missing = await osbuild(['boot', join(dir, 'nothing.qcow2')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nothing\.qcow2 does not exist/);
    const bad = await osbuild(['boot', '--firmware', 'coreboot', blank]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/usage: osbuild boot .*\n.*--firmware.*coreboot/);
  });

  describe('a manifest and --export NAME', () => {
    let project: string;
    let manifest: string;
    beforeAll(() => {
      project = makeProject();
      manifest = join(dir, 'disk.json');
      writeFileSync(manifest, JSON.stringify({
        version: '2',
        pipelines: [{ name: 'image', stages: [
          { type: 'org.osbuild.truncate', options: { filename: 'disk.img', size: '16777216' } },
        ] }],
      }));
    });
    afterAll(() => rmSync(project, { recursive: true, force: true }));

    it('builds the export (then reuses it) and boots its image', async () => {
      const args = ['boot', '--libdir', project, '--store', join(dir, 'store'), '--output-directory', join(dir, 'out'), '--export', 'image', '--accel', 'tcg', '--wait-for', 'Booting from Hard Disk', '--timeout', '300', manifest];
      const first = await osbuild(args);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/org\.osbuild\.truncate/);
      expect(first.stdout).toContain('SeaBIOS');
      const again = await osbuild(args);
      expect(again.status, again.stderr).toBe(0);
    });

    it('without --export it says which is missing', async () => {
      const r = await osbuild(['boot', '--libdir', project, manifest]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/is a manifest: say which pipeline's image to boot with --export NAME/);
    });
  });
});
