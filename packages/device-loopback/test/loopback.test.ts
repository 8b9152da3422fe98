import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openHostService, type DeviceReply } from '@osbuild-ts/plugin-kit/host-service';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

interface LoopInfo {
  name: string;
  offset: number;
  sizelimit: number;
  autoclear: boolean;
  ro: boolean;
  'back-file': string;
  'log-sec': number;
}

/** Loop devices whose backing file lies under `dir`. */
function loopsUnder(dir: string): LoopInfo[] {
  const text = execFileSync('losetup', ['--json', '--list'], { encoding: 'utf8' });
  return text.trim() === '' ? [] : (JSON.parse(text).loopdevices as LoopInfo[]).filter((d) => d['back-file'].startsWith(dir));
}

function tree(size = '16M'): string {
  const dir = mkdtempSync(join(tmpdir(), 'device-loopback-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('truncate', ['-s', size, join(dir, 'disk.img')]);
  symlinkSync('/etc/hostname', join(dir, 'outside'));
  return dir;
}

function request(dir: string, options: Record<string, unknown>) {
  return { apiVersion: 1, kind: 'device', name: 'disk', type: 'org.osbuild.loopback', options: { filename: 'disk.img', ...options }, tree: dir, devdir: '/dev', parent: null };
}

function flockStatus(device: string, mode: 'shared' | 'exclusive'): number | null {
  return spawnSync('flock', [`--${mode}`, '--nonblock', device, 'true']).status;
}

describe('org.osbuild.loopback', () => {
  it('attaches start/size of the file with autoclear, replies its node, and detaches on close', async () => {
    const dir = tree();
    const service = await openHostService<DeviceReply>(entry, request(dir, { start: 2048, size: 4096 }));
    const reply = service.reply as DeviceReply;
    expect(reply.path).toMatch(/^loop\d+$/);
    const rdev = statSync(`/dev/${reply.path}`).rdev;
    expect(reply.node).toEqual({ major: 7, minor: rdev & 0xff | ((rdev >> 12) & ~0xff) });
    expect(loopsUnder(dir)).toEqual([
      expect.objectContaining({ name: `/dev/${reply.path}`, offset: 2048 * 512, sizelimit: 4096 * 512, autoclear: true, ro: false, 'log-sec': 512 }),
    ]);
    const closed = await service.close();
    expect(closed.exitCode).toBe(0);
    expect(closed.stderr).toContain(`${reply.path} acquired (locked: false)`);
    expect(closed.stderr).toContain(`${reply.path} released`);
    expect(loopsUnder(dir)).toEqual([]);
  });

  it('sector-size counts start and size in its sectors and sets the logical block size', async () => {
    const dir = tree();
    const service = await openHostService<DeviceReply>(entry, request(dir, { 'sector-size': 4096, start: 256, size: 1024, 'read-only': true }));
    const path = (service.reply as DeviceReply).path;
    expect(loopsUnder(dir)).toEqual([expect.objectContaining({ offset: 256 * 4096, sizelimit: 1024 * 4096, 'log-sec': 4096, ro: true })]);
    expect(execFileSync('blockdev', ['--getss', `/dev/${path}`], { encoding: 'utf8' }).trim()).toBe('4096');
    await service.close();
    expect(loopsUnder(dir)).toEqual([]);
  });

  it('lock: true holds the exclusive lock while in use; otherwise a shared one', async () => {
    const dir = tree();
    const locked = await openHostService<DeviceReply>(entry, request(dir, { lock: true }));
    const plain = await openHostService<DeviceReply>(entry, request(dir, {}));
    try {
      const lockedDevice = `/dev/${(locked.reply as DeviceReply).path}`;
      const plainDevice = `/dev/${(plain.reply as DeviceReply).path}`;
      expect(lockedDevice).not.toBe(plainDevice);
      expect(flockStatus(lockedDevice, 'shared')).toBe(1);
      expect(flockStatus(plainDevice, 'shared')).toBe(0);
      expect(flockStatus(plainDevice, 'exclusive')).toBe(1);
    } finally {
      await Promise.all([locked.close(), plain.close()]);
    }
    expect(loopsUnder(dir)).toEqual([]);
  });

  it('many at once get distinct devices, and all are released', async () => {
    const dir = tree();
    const services = await Promise.all(Array.from({ length: 6 }, (_, i) => openHostService<DeviceReply>(entry, request(dir, { start: i * 2048, size: 2048 }))));
    const paths = services.map((s) => (s.reply as DeviceReply).path);
    expect(new Set(paths).size).toBe(6);
    expect(loopsUnder(dir)).toHaveLength(6);
    await Promise.all(services.map((s) => s.close()));
    expect(loopsUnder(dir)).toEqual([]);
  });

  it('a service killed with SIGKILL still leaves no device behind (autoclear)', async () => {
    const dir = tree();
    const child = spawn(process.execPath, [entry], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdin.write(`${JSON.stringify(request(dir, {}))}\n`);
    const reply = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    expect(JSON.parse(reply).path).toMatch(/^loop\d+$/);
    expect(loopsUnder(dir)).toHaveLength(1);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    for (let i = 0; i < 100 && loopsUnder(dir).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(loopsUnder(dir)).toEqual([]);
  });

  it.each([
    [{ filename: 'missing.img' }, '"filename" missing.img does not exist in the stage\'s tree'],
    [{ filename: '../../etc/passwd' }, '"filename" ../../etc/passwd does not exist in the stage\'s tree'],
    [{ filename: 'outside' }, '"filename" outside leads out of the stage\'s tree (to /etc/hostname)'],
    [{ start: 1 << 20 }, '"start" 1048576 (byte 536870912) is at or beyond the end of disk.img (16777216 bytes)'],
    [{ start: 8, size: 32768 }, 'run past the end of disk.img'],
    [{ 'sector-size': 520 }, '"sector-size" must be 512, 1024, 2048 or 4096'],
    [{ start: 1.5 }, '"start" must be a whole number'],
  ])('refuses %j with a clear reply, attaching nothing', async (options, message) => {
    const dir = tree();
    const service = await openHostService<DeviceReply>(entry, request(dir, options));
    expect(service.reply).toEqual({ error: expect.stringContaining(message) });
    expect((await service.close()).exitCode).toBe(1);
    expect(loopsUnder(dir)).toEqual([]);
  });
});
