// The library `osbuild boot` runs on: what it reads from an image (format,
// ISO or disk, firmware, architecture) from images made here with the real
// tools, the QEMU command line it builds, and real (short) QEMU runs under
// TCG: a blank disk, on which SeaBIOS prints its dead end on the console.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCommand, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { chooseAccel, elToritoPlatforms, inspectImage, ovmf, qemuArguments, runQemu, type QemuSpec } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'boot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
const BIOS_BOOT = '21686148-6449-6E6F-744E-656564454649';
const LINUX = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';

function disk(name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, '');
  execFileSync('truncate', ['-s', '64M', path]);
  execFileSync('sfdisk', ['--quiet', path], { input: script });
  return path;
}

/** A GPT disk whose ESP (sectors 2048…, 32 MiB) holds EFI/BOOT/<loader>, made with mkfs.vfat --offset and mtools. */
function espDisk(name: string, loader: string): string {
  const path = disk(name, `label: gpt\nstart=2048, size=65536, type=${ESP}\nstart=67584, type=${LINUX}\n`);
  execFileSync('mkfs.vfat', ['--offset', '2048', path, String(65536 / 2)], { stdio: 'ignore' });
  const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
  const fs = `${path}@@${2048 * 512}`;
  execFileSync('mmd', ['-i', fs, '::/EFI', '::/EFI/BOOT'], { env });
  const file = join(dir, loader);
  writeFileSync(file, 'MZ not really a loader');
  execFileSync('mcopy', ['-i', fs, file, `::/EFI/BOOT/${loader}`], { env });
  return path;
}

const tools = ['sfdisk', 'qemu-img', 'mkfs.vfat', 'mcopy'].filter((t) => !hasCommand(t));

describe.skipIf(tools.length > 0)(`inspectImage${tools.length > 0 ? ` (skipped: needs ${tools.join(', ')})` : ''}`, () => {
  it('a GPT with an ESP is for UEFI, in raw and converted to qcow2 and vmdk alike; the ESP\'s loader names the arch', () => {
    const raw = espDisk('esp-x64.raw', 'BOOTX64.EFI');
    const facts = inspectImage(raw);
    expect(facts).toMatchObject({ format: 'raw', media: 'disk', firmware: 'uefi', arch: 'x86_64' });
    expect(facts.evidence.join('\n')).toMatch(/gpt partition table with an EFI system partition \(1\)/);
    for (const format of ['qcow2', 'vmdk']) {
      const converted = join(dir, `esp-x64.${format}`);
      execFileSync('qemu-img', ['convert', '-O', format, raw, converted]);
      expect(inspectImage(converted)).toMatchObject({ format, media: 'disk', firmware: 'uefi', arch: 'x86_64' });
    }
    expect(inspectImage(espDisk('esp-aa64.raw', 'BOOTAA64.EFI'))).toMatchObject({ firmware: 'uefi', arch: 'aarch64' });
  });

  it('a GPT without an ESP, a dos label, or no label at all is for BIOS', () => {
    expect(inspectImage(disk('bios-gpt.raw', `label: gpt\nstart=2048, size=2048, type=${BIOS_BOOT}\nstart=4096, type=${LINUX}\n`))).toMatchObject({ firmware: 'bios', arch: null });
    expect(inspectImage(disk('dos.raw', 'label: dos\nstart=2048, type=83, bootable\n'))).toMatchObject({ firmware: 'bios' });
    const blank = join(dir, 'blank.raw');
    execFileSync('truncate', ['-s', '8M', blank]);
    expect(inspectImage(blank)).toMatchObject({ firmware: 'bios', media: 'disk', evidence: ['no partition table'] });
  });

  it('the discoverable root partition type names the arch', () => {
    expect(inspectImage(disk('root-arm64.raw', 'label: gpt\nstart=2048, type=B921B045-1DF0-41C3-AF44-4C6F280D3FAE\n')).arch).toBe('aarch64');
  });

  it.skipIf(!hasCommand('xorriso'))('an ISO boots from a CD-ROM: UEFI when El Torito has an EFI entry, else BIOS', () => {
    const tree = join(dir, 'iso-tree');
    mkdirSync(join(tree, 'EFI', 'BOOT'), { recursive: true });
    mkdirSync(join(tree, 'images'), { recursive: true });
    writeFileSync(join(tree, 'EFI', 'BOOT', 'BOOTX64.EFI'), 'MZ');
    execFileSync('truncate', ['-s', '1440K', join(tree, 'images', 'efiboot.img')]);
    writeFileSync(join(tree, 'boot.bin'), Buffer.alloc(2048));
    const efi = join(dir, 'efi.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-o', efi, '-e', 'images/efiboot.img', '-no-emul-boot', tree], { stdio: 'ignore' });
    expect(inspectImage(efi)).toMatchObject({ format: 'raw', media: 'cdrom', firmware: 'uefi', arch: 'x86_64' });
    const both = join(dir, 'both.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-o', both, '-b', 'boot.bin', '-no-emul-boot', '-eltorito-alt-boot', '-e', 'images/efiboot.img', '-no-emul-boot', tree], { stdio: 'ignore' });
    const facts = inspectImage(both);
    expect(facts).toMatchObject({ media: 'cdrom', firmware: 'uefi' });
    expect(facts.evidence[0]).toBe('ISO 9660 with El Torito entries for BIOS and EFI');
    const bios = join(dir, 'bios.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-o', bios, '-b', 'boot.bin', '-no-emul-boot', tree], { stdio: 'ignore' });
    expect(inspectImage(bios)).toMatchObject({ media: 'cdrom', firmware: 'bios', arch: null });
    const plain = join(dir, 'plain.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-o', plain, tree], { stdio: 'ignore' });
    expect(elToritoPlatforms(() => Buffer.alloc(0))).toEqual([]);
    expect(inspectImage(plain)).toMatchObject({ media: 'cdrom', firmware: 'bios' });
  });
});

describe('qemuArguments', () => {
  const spec: QemuSpec = { image: '/i/disk.qcow2', format: 'qcow2', media: 'disk', arch: 'x86_64', firmware: 'bios', accel: 'tcg', memory: 1024, persist: false, console: 'plain' };
  it('opens the image with -snapshot unless persisting, on a virtio disk, the console on stdio', () => {
    const args = qemuArguments(spec);
    expect(args.join(' ')).toBe('-machine pc -accel tcg -m 1024 -nographic -nodefaults -serial stdio -monitor none -snapshot -drive file=/i/disk.qcow2,format=qcow2,if=virtio');
    expect(qemuArguments({ ...spec, persist: true })).not.toContain('-snapshot');
    expect(qemuArguments({ ...spec, console: 'mux' }).join(' ')).toContain('-serial mon:stdio');
  });
  it('forwards --ssh through user networking; KVM uses the host CPU; an ISO is a read-only CD-ROM', () => {
    expect(qemuArguments({ ...spec, sshPort: 2222 }).join(' ')).toContain('-netdev user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22 -device virtio-net-pci,netdev=net0');
    expect(qemuArguments({ ...spec, accel: 'kvm' }).join(' ')).toContain('-machine pc -cpu host -accel kvm');
    expect(qemuArguments({ ...spec, media: 'cdrom', format: 'raw', image: '/i/x.iso' })).toContain('file=/i/x.iso,format=raw,media=cdrom,readonly=on');
  });
  it.skipIf(ovmf() === null)('UEFI: q35 and OVMF in pflash, the variable store as given', () => {
    const args = qemuArguments({ ...spec, firmware: 'uefi', varsFile: '/tmp/v.fd' }).join(' ');
    expect(args).toContain('-machine q35');
    expect(args).toContain(`if=pflash,format=raw,unit=0,readonly=on,file=${ovmf()!.code}`);
    expect(args).toContain('if=pflash,format=raw,unit=1,file=/tmp/v.fd');
  });
});

describe('chooseAccel', () => {
  it('takes what is asked for; another architecture than the host\'s runs under TCG', async () => {
    expect(await chooseAccel('x86_64', 'tcg')).toEqual({ accel: 'tcg', reason: 'asked for' });
    const foreign = process.arch === 'x64' ? 'aarch64' : 'x86_64';
    expect((await chooseAccel(foreign)).accel).toBe('tcg');
  });
  it.skipIf(process.arch !== 'x64' || !hasCommand('qemu-system-x86_64'))('decides KVM or TCG by a bounded probe, with the reason', async () => {
    const started = Date.now();
    const choice = await chooseAccel('x86_64');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(['kvm', 'tcg']).toContain(choice.accel);
    expect(choice.reason).not.toBe('');
    console.log(`accelerator here: ${choice.accel} (${choice.reason})`);
  });
});

const noQemu = skipReason(hasCommand('qemu-system-x86_64') ? null : 'needs qemu-system-x86');
describe.skipIf(noQemu !== null)(`runQemu${noQemu ? ` (skipped: ${noQemu})` : ''}`, () => {
  const spec = (): QemuSpec => {
    const blank = join(dir, 'run-blank.raw');
    execFileSync('truncate', ['-s', '8M', blank]);
    return { image: blank, format: 'raw', media: 'disk', arch: 'x86_64', firmware: 'bios', accel: 'tcg', memory: 128, persist: false, noReboot: true, console: 'plain' };
  };
  it('stops as soon as the console matches, and passes the console on as it comes', async () => {
    let seen = '';
    const r = await runQemu(spec(), { waitFor: /Booting from Hard Disk/, timeoutMs: 120_000, onConsole: (t) => (seen += t) });
    expect(r.outcome).toBe('matched');
    expect(seen).toContain('SeaBIOS');
  });
  it('gives up at the timeout (no early stop asked for), or at a dead end', async () => {
    const r = await runQemu(spec(), { waitFor: /login:/, timeoutMs: 3_000, stopOnFailure: false });
    expect(['timeout', 'exited']).toContain(r.outcome);
    const dead = await runQemu(spec(), { waitFor: /login:/, timeoutMs: 120_000 });
    expect(dead.outcome).toBe('failed');
    expect(dead.console).toMatch(/No bootable device/);
  });
});
