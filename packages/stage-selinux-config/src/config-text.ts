/**
 * /etc/selinux/config with SELINUX set to `state` and, when given,
 * SELINUXTYPE to `type`, as upstream's stage rewrites it: only lines whose
 * key (the text before the first `=`, after trimming the line) is exactly
 * one of those change, and each changed line ends in `\n`. Comments (lines
 * starting with `#`) and blank lines stay. As upstream, a missing `state`
 * writes `SELINUX=None`, and any other line without `=` is an error.
 * Line ends are Python's text-mode ones: `\r\n` and `\r` read as `\n`.
 */
export function configText(text: string, state: string | undefined, type: string | undefined): string {
  const lines = text.replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lines
    .map((line, index) => {
      if (line.startsWith('#') || line.trim() === '') return line;
      const trimmed = line.trim();
      const equals = trimmed.indexOf('=');
      if (equals < 0) throw new Error(`/etc/selinux/config line ${index + 1}: ${JSON.stringify(trimmed)} is not KEY=VALUE`);
      const key = trimmed.slice(0, equals);
      if (key === 'SELINUX') return `SELINUX=${state ?? 'None'}\n`;
      if (key === 'SELINUXTYPE' && type) return `SELINUXTYPE=${type}\n`;
      return line;
    })
    .join('');
}
