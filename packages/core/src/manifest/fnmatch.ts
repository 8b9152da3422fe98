/**
 * Python's `fnmatch.fnmatchcase` (what `fnmatch` does on POSIX): `*`, `?`,
 * `[seq]`, `[!seq]`, case-sensitive, matching code points. Bracket
 * expressions follow CPython's translation, including its odd corners
 * (`[]]`, `[!]]`, a `-` after a range is literal, reversed ranges vanish,
 * an unclosed `[` is literal).
 */

type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'literal'; cp: number }
  | { kind: 'set'; negated: boolean; ranges: Array<[number, number]> }
  | { kind: 'never' };

export function fnmatch(name: string, pattern: string): boolean {
  return matchTokens(compile(pattern), Array.from(name, (ch) => ch.codePointAt(0) as number));
}

/** A reusable matcher for one pattern. */
export function compileFnmatch(pattern: string): (name: string) => boolean {
  const tokens = compile(pattern);
  return (name) => matchTokens(tokens, Array.from(name, (ch) => ch.codePointAt(0) as number));
}

function compile(pattern: string): Token[] {
  const pat = Array.from(pattern);
  const tokens: Token[] = [];
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i++] as string;
    if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
    } else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        tokens.push({ kind: 'literal', cp: 0x5b });
      } else {
        tokens.push(bracket(pat, i, j));
        i = j + 1;
      }
    } else {
      tokens.push({ kind: 'literal', cp: c.codePointAt(0) as number });
    }
  }
  return tokens;
}

interface ClassChar {
  ch: string;
  /** Escaped by the translation: always a literal, never a range hyphen. */
  escaped: boolean;
}

/**
 * pat[i, j) is the text between `[` and `]`. Rebuilds the regex class text
 * CPython's `fnmatch.translate` would produce (as characters marked escaped
 * or not), then reads it the way `re` does.
 */
function bracket(pat: string[], i: number, j: number): Token {
  const literal = (chars: string[]): ClassChar[] =>
    chars.map((ch) => ({ ch, escaped: ch === '\\' || ch === '-' || ch === '&' || ch === '~' || ch === '|' }));
  let stuff: ClassChar[];
  const body = pat.slice(i, j);
  if (!body.includes('-')) {
    stuff = literal(body);
  } else {
    // Split at hyphens that form ranges; a hyphen first in the set or right
    // after a range stays literal.
    const chunks: string[][] = [];
    let from = i;
    let k = pat[i] === '!' ? i + 2 : i + 1;
    for (;;) {
      let hyphen = -1;
      for (let x = k; x < j; x++) {
        if (pat[x] === '-') {
          hyphen = x;
          break;
        }
      }
      if (hyphen < 0) break;
      chunks.push(pat.slice(from, hyphen));
      from = hyphen + 1;
      k = hyphen + 3;
    }
    const tail = pat.slice(from, j);
    if (tail.length > 0) chunks.push(tail);
    else (chunks.at(-1) as string[]).push('-');
    // Reversed ranges are removed together with their endpoints.
    for (let x = chunks.length - 1; x > 0; x--) {
      const prev = chunks[x - 1] as string[];
      const cur = chunks[x] as string[];
      if (prev.length > 0 && cur.length > 0 && cp(prev.at(-1) as string) > cp(cur[0] as string)) {
        chunks[x - 1] = [...prev.slice(0, -1), ...cur.slice(1)];
        chunks.splice(x, 1);
      }
    }
    stuff = [];
    chunks.forEach((chunk, x) => {
      if (x > 0) stuff.push({ ch: '-', escaped: false });
      stuff.push(...literal(chunk));
    });
  }

  if (stuff.length === 0) return { kind: 'never' };
  const first = stuff[0] as ClassChar;
  if (stuff.length === 1 && first.ch === '!') return { kind: 'any' };
  const negated = first.ch === '!';
  const items = negated ? stuff.slice(1) : stuff;

  const ranges: Array<[number, number]> = [];
  for (let x = 0; x < items.length; x++) {
    const lo = cp((items[x] as ClassChar).ch);
    const next = items[x + 1];
    if (next !== undefined && next.ch === '-' && !next.escaped) {
      const hiItem = items[x + 2];
      if (hiItem === undefined) {
        ranges.push([lo, lo], [0x2d, 0x2d]);
        break;
      }
      // `re` would reject a reversed range here; it simply matches nothing.
      ranges.push([lo, cp(hiItem.ch)]);
      x += 2;
    } else {
      ranges.push([lo, lo]);
    }
  }
  return { kind: 'set', negated, ranges };
}

function cp(ch: string): number {
  return ch.codePointAt(0) as number;
}

function matchOne(token: Token, c: number): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'literal':
      return token.cp === c;
    case 'set': {
      const inside = token.ranges.some(([lo, hi]) => c >= lo && c <= hi);
      return inside !== token.negated;
    }
    default:
      return false;
  }
}

/** Every token but `*` consumes exactly one code point, so star backtracking stays linear-ish. */
function matchTokens(tokens: Token[], text: number[]): boolean {
  let t = 0;
  let s = 0;
  let starT = -1;
  let starS = 0;
  while (s < text.length) {
    const token = tokens[t];
    if (token !== undefined && token.kind === 'star') {
      starT = t++;
      starS = s;
    } else if (token !== undefined && matchOne(token, text[s] as number)) {
      t++;
      s++;
    } else if (starT >= 0) {
      t = starT + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}
