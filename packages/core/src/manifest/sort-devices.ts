/**
 * Orders a stage's devices so every parent precedes its children (spec 1.5.4):
 * repeated passes over the names still to place, in their original order,
 * taking each whose parent is placed. Upstream's exact procedure is kept
 * because the order is printed by `--inspect`.
 */
import type { JsonPath } from '../json/types.js';
import { invalid, quote, quoteList } from './invalid.js';

export interface DeviceEntry {
  name: string;
  /** Parent device name; a falsy parent ("" or absent) means none. */
  parent?: string;
}

export function sortDevices<T extends DeviceEntry>(devices: readonly T[], path: JsonPath): T[] {
  const byName = new Map(devices.map((device) => [device.name, device]));
  const placed = new Map<string, T>();
  let todo: Array<string | null> = devices.map((device) => device.name);

  while (todo.length > 0) {
    const before = todo.length;
    for (let i = 0; i < todo.length; i++) {
      const name = todo[i];
      if (name === null || name === undefined) continue;
      const device = byName.get(name) as T;
      const parent = device.parent;
      if (parent && !placed.has(parent)) {
        if (!todo.includes(parent)) {
          throw invalid([...path, name, 'parent'], `${quote(parent)} is not a device of this stage (devices: ${quoteList(byName.keys())})`);
        }
        continue;
      }
      placed.set(name, device);
      todo[i] = null;
    }
    // Upstream filters by truthiness, which also drops a device named ""
    // that is still waiting for its parent: it silently disappears.
    todo = todo.filter((name) => name !== null && name !== '');
    if (todo.length === before) {
      throw invalid(path, `the parent references of ${quoteList(todo as string[])} form a cycle`);
    }
  }
  return [...placed.values()];
}
