import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceArgument, loopDevicesUnavailable, sparseFile, testdir, useLoopDevices } from '../src/testing.js';
import { skipReason } from '../src/skip-reason.js';

const MiB = 1024 * 1024;
const skip = skipReason(loopDevicesUnavailable());

/** The loop devices backed by `file` (`losetup --associated`), whoever attached them. */
function loopsOf(file: string): string[] {
  return execFileSync('losetup', ['--associated', file], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.slice(0, line.indexOf(':')));
}

function readHead(device: string, bytes: number): string {
  const fd = openSync(device, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    readSync(fd, buffer, 0, bytes, 0);
    return buffer.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

describe('testdir', () => {
  let previous = '';
  it('makes a directory for the test', () => {
    previous = testdir('kit-testdir');
    expect(basename(previous)).toMatch(/^kit-testdir-/);
    expect(statSync(previous).isDirectory()).toBe(true);
    writeFileSync(join(previous, 'file'), 'x');
  });

  it('removes it when the test has ended', () => {
    expect(previous).not.toBe('');
    expect(existsSync(previous)).toBe(false);
  });
});

describe('sparseFile', () => {
  it('makes a file of the size asked for, with no blocks allocated', () => {
    const file = sparseFile(testdir('kit-sparse'), 'disk.img', 64 * MiB);
    expect(file.endsWith('/disk.img')).toBe(true);
    const st = statSync(file);
    expect(st.size).toBe(64 * MiB);
    expect(st.blocks).toBe(0);
  });
});

describe('deviceArgument', () => {
  it('names a path that is not a block device without node numbers', () => {
    expect(deviceArgument('/dev/osbuild-no-such-loop')).toEqual({ device: { path: '/dev/osbuild-no-such-loop' } });
    const file = sparseFile(testdir('kit-device'), 'disk.img', MiB);
    expect(deviceArgument(file, 'disk')).toEqual({ disk: { path: file } });
  });
});

describe.skipIf(skip !== null)(`useLoopDevices${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const { attach, detach } = useLoopDevices();
  let leftAttached = '';

  it('attaches a window of a file, from an offset and of a size', () => {
    const file = sparseFile(testdir('kit-loop'), 'disk.img', 4 * MiB);
    execFileSync('dd', ['of=' + file, 'bs=1M', 'seek=1', 'conv=notrunc', 'status=none'], { input: 'partition two' });
    const device = attach(file, { offset: MiB, sizelimit: 2 * MiB });
    expect(device).toMatch(/^\/dev\/loop\d+$/);
    expect(execFileSync('blockdev', ['--getsize64', device], { encoding: 'utf8' }).trim()).toBe(String(2 * MiB));
    expect(readHead(device, 13)).toBe('partition two');
    expect(loopsOf(file)).toEqual([device]);
    leftAttached = file;
  });

  it('detached the last test\'s devices when it ended', () => {
    expect(leftAttached).not.toBe('');
    expect(loopsOf(leftAttached)).toEqual([]);
  });

  it('detaches one early when asked, and the end of the test does not mind', () => {
    const file = sparseFile(testdir('kit-loop'), 'disk.img', MiB);
    const device = attach(file, { sectorSize: 4096 });
    expect(execFileSync('blockdev', ['--getss', device], { encoding: 'utf8' }).trim()).toBe('4096');
    detach(device);
    expect(loopsOf(file)).toEqual([]);
  });

  it('gives a loop device\'s node numbers as the engine reports them', () => {
    const file = sparseFile(testdir('kit-loop'), 'disk.img', MiB);
    const device = attach(file);
    const [major, minor] = readFileSync(`/sys/block/${basename(device)}/dev`, 'utf8').trim().split(':').map(Number);
    expect(major).toBe(7);
    expect(deviceArgument(device)).toEqual({ device: { path: device, node: { major, minor } } });
  });
});
