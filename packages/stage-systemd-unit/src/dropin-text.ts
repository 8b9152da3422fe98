import type { UnitOptions } from './unit-options.js';

/**
 * The drop-in file, byte for byte as upstream's configparser writes it:
 * `[Section]`, then `Name=value` lines (no spaces around `=`; a line break
 * inside a value continues on a tab-indented line), then an empty line, for
 * each section in the order given. A list value becomes one line per item;
 * for `Environment` each item `{key, value}` is written `Environment="key=value"`.
 * The same line twice is written once, as configparser keeps one of each.
 */
export function dropinText(config: UnitOptions['config']): string {
  let text = '';
  for (const [section, options] of Object.entries(config)) {
    const lines = new Map<string, string | null>();
    for (const [name, value] of Object.entries(options)) {
      if (Array.isArray(value)) {
        for (const item of value) lines.set(`${name}=${listItem(section, name, item)}`, null);
      } else {
        lines.set(name, String(value));
      }
    }
    text += `[${section}]\n`;
    for (const [name, value] of lines) text += value === null ? `${name}\n` : `${name}=${value.replaceAll('\n', '\n\t')}\n`;
    text += '\n';
  }
  return text;
}

function listItem(section: string, name: string, item: unknown): string {
  if (name !== 'Environment') return String(item);
  const { key, value } = (item ?? {}) as { key?: unknown; value?: unknown };
  if (typeof key !== 'string' || value === undefined) {
    throw new Error(`config.${section}.${name}: each item needs a "key" and a "value", got ${JSON.stringify(item)}`);
  }
  return `"${key}=${String(value)}"`;
}
