/**
 * Debian control data (deb822): paragraphs of `Field: value` lines, values
 * continued on lines that start with white space. Enough for Packages
 * indexes, dpkg status files and `dpkg-deb --field` output.
 */

/** One paragraph: field name as written → value (continuation lines joined with "\n", leading space kept). */
export type Stanza = Map<string, string>;

export function parseDeb822(text: string): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: Stanza | null = null;
  let last: string | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current) stanzas.push(current);
      current = null;
      last = null;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (/^[ \t]/.test(line)) {
      if (current && last !== null) current.set(last, `${current.get(last)}\n${line}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    current ??= new Map();
    last = line.slice(0, colon);
    current.set(last, line.slice(colon + 1).trimStart());
  }
  if (current) stanzas.push(current);
  return stanzas;
}

/** A field by name, ignoring case as deb822 does. */
export function field(stanza: Stanza, name: string): string | undefined {
  const direct = stanza.get(name);
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const [key, value] of stanza) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** Sets a field, replacing one of the same name in any case. */
export function setField(stanza: Stanza, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const key of stanza.keys()) {
    if (key.toLowerCase() === lower) {
      stanza.set(key, value);
      return;
    }
  }
  stanza.set(name, value);
}

export function formatStanza(stanza: Stanza): string {
  let text = '';
  for (const [key, value] of stanza) {
    text += value === '' || value.startsWith('\n') ? `${key}:${value}\n` : `${key}: ${value}\n`;
  }
  return text;
}
