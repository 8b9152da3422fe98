/**
 * Line boundaries of Python's str.splitlines() once universal newlines have
 * turned `\r\n` and `\r` into `\n`: upstream reads an entry in text mode and
 * matches line by line, so no match crosses one of these.
 */
const LINE_BREAK = '\\n\\x0b\\x0c\\x1c\\x1d\\x1e\\x85\\u2028\\u2029';

// The text of a BLS entry with every path that ends in /boot replaced by
// `prefix`, as upstream does with re.sub(r"(/.*)+/boot", prefix, line)
// (r"(/.*)*/boot" without requireBootPrefix). Those patterns match exactly
// what "/.*/boot" and "(/.*)?/boot" match, from the first / to the last /boot
// of a line, without their exponential backtracking. Line ends are written
// as \n, as Python's text mode writes them.
export function fixPaths(text: string, prefix: string, requireBootPrefix: boolean): string {
  if (prefix.includes('\\')) {
    // Python reads escapes in a replacement string (\n, \1, \g<1>) or fails on them; we take none.
    throw new Error(`prefix ${JSON.stringify(prefix)}: a backslash is not supported (osbuild would read it as a regular-expression escape)`);
  }
  const line = `[^${LINE_BREAK}]`;
  const pattern = requireBootPrefix ? `/${line}*/boot` : `(?:/${line}*)?/boot`;
  const normalised = text.replace(/\r\n?/g, '\n');
  return normalised.replace(new RegExp(pattern, 'gu'), () => prefix);
}
