import type { PyJson } from '../../src/json/types.js';

/**
 * A small JSON → PyJson reader for these tests only, so they do not depend on
 * core's parser: keeps key order (first position, last value), ints as
 * bigint, floats as numbers.
 */
export function readPyJson(text: string): PyJson {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const value = (): PyJson => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out = new Map<string, PyJson>();
      ws();
      if (text[i] === '}') return i++, out;
      for (;;) {
        ws();
        const key = value() as string;
        ws();
        i++; // ':'
        out.set(key, value());
        ws();
        if (text[i++] === '}') return out;
      }
    }
    if (c === '[') {
      i++;
      const out: PyJson[] = [];
      ws();
      if (text[i] === ']') return i++, out;
      for (;;) {
        out.push(value());
        ws();
        if (text[i++] === ']') return out;
      }
    }
    if (c === '"') {
      const start = i;
      i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    }
    const literal = /^(true|false|null|NaN|-?Infinity|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i))![0];
    i += literal.length;
    if (literal === 'true') return true;
    if (literal === 'false') return false;
    if (literal === 'null') return null;
    if (/^-?\d+$/.test(literal)) return BigInt(literal);
    return Number(literal);
  };
  return value();
}
