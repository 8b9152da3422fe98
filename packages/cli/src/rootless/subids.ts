import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { OsbuildError } from '@osbuild-ts/core';

export interface SubordinateRange {
  start: number;
  count: number;
}

/**
 * The ranges `/etc/subuid` (or `/etc/subgid`) gives a user, matched by name
 * or by numeric id, as newuidmap(1) and newgidmap(1) match them.
 */
export function subordinateRanges(text: string, user: { name: string; id: number }): SubordinateRange[] {
  const ranges: SubordinateRange[] = [];
  for (const line of text.split('\n')) {
    const [owner, start, count] = line.trim().split(':');
    if (owner === undefined || start === undefined || count === undefined || line.trim().startsWith('#')) continue;
    if (owner !== user.name && owner !== String(user.id)) continue;
    const range = { start: Number(start), count: Number(count) };
    if (Number.isInteger(range.start) && Number.isInteger(range.count) && range.count > 0) ranges.push(range);
  }
  return ranges;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The invoking user's first subordinate uid and gid ranges; a clear error naming the files and the command when one is missing. */
export function requireSubordinateIds(files = { uid: '/etc/subuid', gid: '/etc/subgid' }): { uids: SubordinateRange; gids: SubordinateRange } {
  const info = userInfo();
  const user = { name: info.username, id: info.uid };
  const uids = subordinateRanges(readOrEmpty(files.uid), user)[0];
  const gids = subordinateRanges(readOrEmpty(files.gid), user)[0];
  const missing = [uids === undefined ? files.uid : null, gids === undefined ? files.gid : null].filter((f) => f !== null);
  if (uids === undefined || gids === undefined) {
    throw new OsbuildError(
      'E_HOST_UNSUPPORTED',
      `building as ${user.name} (uid ${user.id}) needs subordinate ids, and ${missing.join(' and ')} ${missing.length > 1 ? 'give' : 'gives'} this user none: ` +
        'trees hold files of many owners (root, _apt, …), which a user namespace maps onto the user\'s subordinate ids',
      {
        hint: `as root, give the user a range of 65536 ids: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${user.name} (any free range will do; see subuid(5))`,
        details: { user: user.name, files: missing },
      },
    );
  }
  if (uids.count < 65535 || gids.count < 65535) {
    const short = uids.count < 65535 ? `${files.uid} gives ${uids.count}` : `${files.gid} gives ${gids.count}`;
    throw new OsbuildError('E_HOST_UNSUPPORTED', `building as ${user.name} needs 65536 subordinate ids (ids up to 65534, nobody, appear in trees); ${short}`, {
      hint: `as root: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${user.name} (any free range of 65536 ids)`,
      details: { user: user.name },
    });
  }
  return { uids, gids };
}
