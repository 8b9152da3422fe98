/**
 * A time in nanoseconds as `S.NNNNNNNNN`: whole seconds floored (towards the
 * past for times before 1970) and a positive nine-digit fraction, the form
 * `touch -d @…` reads and find's `%T@` prints (with one more digit).
 */
export function decimalSeconds(ns: bigint): string {
  let whole = ns / 1_000_000_000n;
  let fraction = ns % 1_000_000_000n;
  if (fraction < 0n) {
    fraction += 1_000_000_000n;
    whole -= 1n;
  }
  return `${whole}.${fraction.toString().padStart(9, '0')}`;
}
