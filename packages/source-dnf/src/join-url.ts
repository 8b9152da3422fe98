/** `<base>/<path>` with exactly one slash between, as librepo joins a mirror and a relative location. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
