/**
 * Python's `repr(float)`: the shortest digit string that reads back as the
 * same double (JS's Number::toString picks the same digits), laid out the
 * Python way — fixed notation with a mandatory fraction for decimal
 * exponents -4 ≤ e < 16 (`100.0`, `0.0001`), otherwise `1e-05`, `1e+16`.
 */
export function pyFloatRepr(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';

  const sign = x < 0 ? '-' : '';
  const { digits, exponent } = shortestDigits(Math.abs(x));

  if (exponent < -4 || exponent >= 16) {
    const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    const magnitude = Math.abs(exponent);
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${magnitude < 10 ? '0' : ''}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/**
 * Significant digits (no leading/trailing zeros) and decimal exponent of a
 * positive finite double, so that value = d.ddd × 10^exponent. Taken from
 * `String(x)`, whose digit choice the ECMAScript spec pins down (shortest,
 * then closest), the same rule Python's repr follows.
 */
function shortestDigits(x: number): { digits: string; exponent: number } {
  const s = String(x);
  const e = s.indexOf('e');
  if (e >= 0) {
    // "d.ddde+N" / "de-N"
    return { digits: s.slice(0, e).replace('.', ''), exponent: Number(s.slice(e + 1)) };
  }
  // Plain decimal: "123.45", "0.00012", "123450000".
  const dot = s.indexOf('.');
  const intLength = dot < 0 ? s.length : dot;
  const all = dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1);
  let first = 0;
  while (all.charCodeAt(first) === 0x30) first++;
  let last = all.length;
  while (last > first + 1 && all.charCodeAt(last - 1) === 0x30) last--;
  return { digits: all.slice(first, last), exponent: intLength - first - 1 };
}
