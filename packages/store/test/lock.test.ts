import { spawn } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFile, tryLockFile } from '../src/lock.js';
import { scratchDir } from './helpers.js';

const scratch = scratchDir('lock');

describe('OFD locks', () => {
  it('shared locks coexist, exclusive excludes — also between two fds of one process', async () => {
    const path = join(scratch.fresh('l'), 'lock');
    const a = tryLockFile(path, 'shared');
    const b = tryLockFile(path, 'shared');
    expect(a && b).toBeTruthy();
    expect(tryLockFile(path, 'exclusive')).toBeNull();
    a?.release();
    b?.release();
    const c = tryLockFile(path, 'exclusive');
    expect(c).not.toBeNull();
    expect(tryLockFile(path, 'shared')).toBeNull();
    c?.release();
  });

  it('a waiter gets the lock when the holder releases it, and can time out', async () => {
    const path = join(scratch.fresh('l'), 'lock');
    const free = await lockFile(path, 'exclusive', { onWait: () => expect.unreachable('a free lock is not waited for') });
    free?.release();
    const holder = tryLockFile(path, 'exclusive');
    expect(await lockFile(path, 'exclusive', { timeoutMs: 50 })).toBeNull();
    setTimeout(() => holder?.release(), 30);
    const waited = await lockFile(path, 'exclusive', { timeoutMs: 5_000 });
    expect(waited).not.toBeNull();
    waited?.release();
  });

  it('an unlinkable lock is never held twice under one name', async () => {
    const path = join(scratch.fresh('l'), 'lock');
    const first = tryLockFile(path, 'exclusive', { unlinkable: true });
    let waiterGotIt = false;
    const waiting = lockFile(path, 'exclusive', { unlinkable: true, timeoutMs: 400 }).then((lock) => {
      waiterGotIt = lock !== null;
      return lock;
    });
    // The holder unlinks the name, then releases; a newcomer races the waiter.
    unlinkSync(path);
    first?.release();
    const newcomer = tryLockFile(path, 'exclusive', { unlinkable: true });
    const waiter = await waiting;
    expect(waiterGotIt !== (newcomer !== null)).toBe(true);
    newcomer?.release();
    waiter?.release();
  });

  it('the kernel drops the lock of a process killed with SIGKILL', async () => {
    const path = join(scratch.fresh('l'), 'lock');
    const script = `
      const { tryLockFile } = await import(${JSON.stringify(new URL('../dist/lock.js', import.meta.url).href)});
      if (!tryLockFile(${JSON.stringify(path)}, 'exclusive')) process.exit(3);
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    expect(tryLockFile(path, 'exclusive')).toBeNull();
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const after = tryLockFile(path, 'exclusive');
    expect(after).not.toBeNull();
    after?.release();
  });
});
