import type { PyJson } from '@osbuild-ts/core';

/**
 * The URL an item names, for messages: a string item, its `url` (curl), or
 * its mirror's URL joined with its `path` (librepo: `{path, mirror}` and
 * the source's `mirrors`) — null when it names none (inline data).
 */
export function itemUrl(item: PyJson | undefined, sourceOptions?: PyJson): string | null {
  if (typeof item === 'string') return item;
  if (!(item instanceof Map)) return null;
  const url = item.get('url');
  if (typeof url === 'string') return url;
  const path = item.get('path');
  const mirrorId = item.get('mirror');
  if (typeof path !== 'string' || typeof mirrorId !== 'string') return null;
  const mirrors = sourceOptions instanceof Map ? sourceOptions.get('mirrors') : undefined;
  const mirror = mirrors instanceof Map ? mirrors.get(mirrorId) : undefined;
  const base = mirror instanceof Map ? mirror.get('url') : undefined;
  if (typeof base !== 'string') return `${path} (mirror ${mirrorId})`;
  const type = mirror instanceof Map ? mirror.get('type') : undefined;
  // A mirrorlist or metalink names where the list is, not the file.
  if (type === 'mirrorlist' || type === 'metalink') return `${path} (mirror ${mirrorId}: ${type} ${base})`;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
