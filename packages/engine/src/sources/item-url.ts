import type { PyJson } from '@osbuild-ts/core';

/** The URL an item names, for messages: a string item, or its `url` (curl) — null when it names none (inline data). */
export function itemUrl(item: PyJson | undefined): string | null {
  if (typeof item === 'string') return item;
  if (item instanceof Map) {
    const url = item.get('url');
    if (typeof url === 'string') return url;
  }
  return null;
}
