/**
 * Python's `f"{x:.2f}"`: the exact binary value rounded half to even.
 * `toFixed` rounds the exact value too but sends ties up (0.125 → "0.13",
 * Python "0.12"), and durations such as 125 ms are exact ties.
 */
export function pyFixed2(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const exact = x.toFixed(100);
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 3);
  if (/^50*$/.test(rest)) {
    const kept = exact.slice(0, point + 3);
    const last = Number(kept[kept.length - 1]);
    // Round half to even: an even last digit stays, an odd one is pushed away from zero.
    if (last % 2 === 0) return kept;
  }
  return x.toFixed(2);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => String(n).padStart(2, '0');

/** `datetime.fromtimestamp(t).strftime('%c')` in the C locale: local time, `%a %b %e %H:%M:%S %Y`. */
export function strftimeC(epochSeconds: bigint): string {
  const d = new Date(Number(epochSeconds) * 1000);
  return (
    `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`
  );
}
