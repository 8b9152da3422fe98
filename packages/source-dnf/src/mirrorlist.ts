/**
 * A mirror list as yum/dnf serve it: one repository base URL per line;
 * blank lines and `#` comments ignored. Only http, https and file URLs are
 * kept (librepo skips what curl cannot fetch the same way: rsync, ftp).
 */
export function parseMirrorlist(text: string): string[] {
  const urls: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^(https?|file):\/\//i.test(line) && !urls.includes(line)) urls.push(line);
  }
  return urls;
}
