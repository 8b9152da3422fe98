import { describe, expect, it } from 'vitest';
import { field, formatStanza, parseDeb822, setField } from '../src/deb822.js';

describe('deb822', () => {
  const text = 'Package: a\nDescription: short\n long line\n .\n more\n\n# comment\nPackage: b\nsha256: 00\n';

  it('parses paragraphs with continuation lines and skips comments', () => {
    const [a, b] = parseDeb822(text);
    expect(a?.get('Package')).toBe('a');
    expect(a?.get('Description')).toBe('short\n long line\n .\n more');
    expect(b?.get('Package')).toBe('b');
    expect(parseDeb822(text)).toHaveLength(2);
  });

  it('finds and replaces fields whatever their case', () => {
    const [, b] = parseDeb822(text);
    expect(field(b!, 'SHA256')).toBe('00');
    setField(b!, 'SHA256', '11');
    expect([...b!.keys()]).toEqual(['Package', 'sha256']);
    expect(field(b!, 'sha256')).toBe('11');
  });

  it('formats back to the same text', () => {
    const [a] = parseDeb822(text);
    expect(formatStanza(a!)).toBe('Package: a\nDescription: short\n long line\n .\n more\n');
    expect(formatStanza(new Map([['SHA256', '\n 00 1 Packages']]))).toBe('SHA256:\n 00 1 Packages\n');
  });
});
