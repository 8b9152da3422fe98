import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertNothingMountedUnder, detachMountsUnder } from './mounts.js';
import { processIdentity, type ProcessIdentity } from './timeout.js';

const OWNER_FILE = 'owner.json';

/** Record which process owns a build sandbox directory, so a later run can tell a live one from a leftover. */
export async function writeOwner(dir: string): Promise<void> {
  const me = await processIdentity(process.pid);
  await writeFile(path.join(dir, OWNER_FILE), JSON.stringify(me));
}

async function ownerAlive(dir: string): Promise<boolean> {
  let owner: ProcessIdentity;
  try {
    owner = JSON.parse(await readFile(path.join(dir, OWNER_FILE), 'utf8')) as ProcessIdentity;
  } catch {
    return false;
  }
  const now = await processIdentity(owner.pid);
  return now !== null && now.startTime === owner.startTime;
}

/**
 * Remove build sandboxes left in `buildDir` by a process that died without
 * cleaning up (SIGKILL, power loss: the 'exit' hook never ran). Sandboxes of
 * live processes, this one included, are left alone. Returns what was removed.
 */
export async function sweepSandboxes(buildDir: string): Promise<string[]> {
  const names = await readdir(buildDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names.filter((entry) => entry.startsWith('sandbox-'))) {
    const dir = path.join(buildDir, name);
    if (await ownerAlive(dir)) continue;
    await detachMountsUnder([dir]);
    await assertNothingMountedUnder(dir);
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
