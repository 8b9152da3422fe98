/**
 * A drop-in's text as Python's configparser writes it with
 * `space_around_delimiters=False`, which upstream's stage uses: per section
 * `[name]`, one `key=value` line per option in the given order, then an
 * empty line. A line break in a value continues on a line starting with a
 * tab.
 */
export function iniText(config: Record<string, Record<string, string>>): string {
  let text = '';
  for (const [section, options] of Object.entries(config)) {
    text += `[${section}]\n`;
    for (const [key, value] of Object.entries(options)) text += `${key}=${String(value).replaceAll('\n', '\n\t')}\n`;
    text += '\n';
  }
  return text;
}
