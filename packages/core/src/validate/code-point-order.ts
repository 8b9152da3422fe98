/**
 * Python compares strings by code point; JS `<` compares UTF-16 code units,
 * which puts U+E000–U+FFFF after astral characters. osbuild sorts validation
 * errors by their path strings, so we must order the way Python does.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only a surrogate against a non-surrogate at or above U+E000 disagrees
    // with code-unit order: lift surrogates above everything in the BMP.
    return lift(x) - lift(y);
  }
  return a.length - b.length;
}

function lift(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}
