import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Io } from '../main.js';

const USAGE = 'usage: osbuild store remove [--store DIRECTORY]\n';

/**
 * `osbuild store remove`: deletes a whole store. A store built by a normal
 * user holds files of the user's subordinate ids (a tree's /etc/shadow
 * belongs to root inside it, to a subordinate id outside), which the user
 * cannot delete directly: like every store command, this one runs in the
 * build's user namespace (store-command.ts), where those files are the
 * namespace root's. Only a directory that is an osbuild store is removed.
 */
export async function storeRemove(argv: readonly string[], io: Io): Promise<number> {
  let store = '.osbuild';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === '--store' || arg === '--cache') && argv[i + 1] !== undefined) store = argv[++i]!;
    else if (arg.startsWith('--store=')) store = arg.slice('--store='.length);
    else {
      io.stderr(`${USAGE}osbuild: error: unexpected argument '${arg}'\n`);
      return 2;
    }
  }
  const dir = resolve(io.cwd, store);
  if (!existsSync(dir)) {
    io.stdout(`${dir}: no store there, nothing removed\n`);
    return 0;
  }
  if (!existsSync(join(dir, 'cache.info')) && !existsSync(join(dir, 'CACHEDIR.TAG'))) {
    io.stderr(`osbuild: ${dir} is not an osbuild store (no cache.info or CACHEDIR.TAG): not removed\n`);
    return 1;
  }
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  io.stdout(`removed the store ${dir}\n`);
  return 0;
}
