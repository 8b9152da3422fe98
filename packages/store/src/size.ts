/** `--cache-max-size` values, parsed exactly as osbuild's `parse_size`. */
import { storeError } from './errors.js';
import type { MaximumSize } from './layout.js';

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['kB', 1000],
  ['KiB', 1024],
  ['MB', 1000 ** 2],
  ['MiB', 1024 ** 2],
  ['GB', 1000 ** 3],
  ['GiB', 1024 ** 3],
  ['TB', 1000 ** 4],
  ['TiB', 1024 ** 4],
];

/** "unlimited", digits, or digits + unit with optional blanks in between (and before). */
export function parseSize(text: string): MaximumSize {
  if (text === 'unlimited') return 'unlimited';
  const match = /^\s*(\d+)\s*([A-Za-z]*)$/.exec(text);
  if (match !== null) {
    const [, digits = '', unit = ''] = match;
    // Python's `\s*(\d+)$` for plain digits allows no blank before the end.
    const factor = unit === '' ? (/\s$/.test(text) ? undefined : 1) : UNITS.find(([name]) => name === unit)?.[1];
    const value = factor === undefined ? NaN : Number(digits) * factor;
    if (Number.isSafeInteger(value)) return value;
  }
  throw storeError('usage', `invalid size value: '${text}'`);
}
