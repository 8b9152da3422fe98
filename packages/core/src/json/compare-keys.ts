/**
 * Orders strings by Unicode code point, as Python compares `str`. JS's `<`
 * compares UTF-16 code units, which puts an astral character (stored as
 * surrogates D800–DFFF) before U+E000–U+FFFF; Python puts it after.
 * A lone surrogate counts as its own code point, as in Python.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const ua = a.charCodeAt(i);
  const ub = b.charCodeAt(i);
  if (ua < 0xd800 && ub < 0xd800) return ua - ub;
  // The strings differ inside or after a surrogate: compare whole code points.
  if (i > 0) {
    const prev = a.charCodeAt(i - 1);
    if (prev >= 0xd800 && prev <= 0xdbff) {
      const diff = (a.codePointAt(i - 1) as number) - (b.codePointAt(i - 1) as number);
      if (diff !== 0) return diff;
    }
  }
  return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
}
