/**
 * osbuild percent-encodes the path of every URL before handing it to curl:
 * `urllib.parse.quote(urlparse(url).path)`, safe characters `A-Za-z0-9_.-~/`,
 * everything else as UTF-8 `%XX` — including `%` itself, so an already
 * encoded `%20` becomes `%2520` (as upstream; manifests are written for it).
 * The scheme is lower-cased; netloc, `;params`, query and fragment are kept
 * as written. This reproduces urlparse's splitting, not WHATWG's.
 */

// urllib's uses_params: only these schemes split `;params` off the last path segment.
const USES_PARAMS = new Set(['', 'ftp', 'hdl', 'prospero', 'http', 'imap', 'https', 'shttp', 'rtsp', 'rtsps', 'rtspu', 'sip', 'sips', 'mms', 'sftp', 'tel']);
const USES_NETLOC = new Set(['', 'ftp', 'http', 'gopher', 'nntp', 'telnet', 'imap', 'wais', 'file', 'mms', 'https', 'shttp', 'snews', 'prospero', 'rtsp', 'rtsps', 'rtspu', 'rsync', 'svn', 'svn+ssh', 'sftp', 'nfs', 'git', 'git+ssh', 'ws', 'wss', 'itms-services']);
const SAFE = /[A-Za-z0-9_.\-~/]/;

export function quoteUrl(url: string): string {
  // urlsplit strips leading C0 controls and spaces, and drops tabs and newlines anywhere.
  // eslint-disable-next-line no-control-regex
  let rest = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = rest.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+\-.]*$/.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
  }
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) [rest, fragment] = [rest.slice(0, hash), rest.slice(hash + 1)];
  let query = '';
  const question = rest.indexOf('?');
  if (question >= 0) [rest, query] = [rest.slice(0, question), rest.slice(question + 1)];
  let params = '';
  if (USES_PARAMS.has(scheme) && rest.includes(';')) {
    const semicolon = rest.includes('/') ? rest.indexOf(';', rest.lastIndexOf('/')) : rest.indexOf(';');
    if (semicolon >= 0) [rest, params] = [rest.slice(0, semicolon), rest.slice(semicolon + 1)];
  }

  let out = quotePath(rest);
  if (params) out += `;${params}`;
  if (netloc || (USES_NETLOC.has(scheme) && scheme !== '' && out.startsWith('/'))) {
    if (out && !out.startsWith('/')) out = `/${out}`;
    out = `//${netloc}${out}`;
  }
  if (scheme) out = `${scheme}:${out}`;
  if (query) out += `?${query}`;
  if (fragment) out += `#${fragment}`;
  return out;
}

/** `urllib.parse.quote(path)`: everything but `A-Za-z0-9_.-~/` as UTF-8 `%XX` (librepo's items are quoted so). */
export function quotePath(path: string): string {
  let out = '';
  for (const char of path) {
    if (SAFE.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
