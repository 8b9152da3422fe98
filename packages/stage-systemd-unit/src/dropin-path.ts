import { join } from 'node:path';
import type { UnitOptions } from './unit-options.js';

/**
 * The drop-in directory of a unit: `/usr/lib/systemd/system/UNIT.d` for
 * system units, `/usr/lib/systemd/user/UNIT.d` for `global` (user) units.
 */
export function dropinDirectory(tree: string, options: Pick<UnitOptions, 'unit' | 'unit-type'>): string {
  const { unit } = options;
  if (`${unit}.d`.length > 255) throw new Error(`the drop-in directory of ${unit} would exceed the maximum file name length (255)`);
  const type = options['unit-type'] ?? 'system';
  if (type === 'system') return join(tree, 'usr/lib/systemd/system', `${unit}.d`);
  if (type === 'global') return join(tree, 'usr/lib/systemd/user', `${unit}.d`);
  throw new Error(`unknown unit-type "${String(type)}" (system or global)`);
}
