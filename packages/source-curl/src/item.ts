/** An `org.osbuild.curl` item: a URL, or `{url, insecure?, secrets?}` (spec 9.3). */
export interface CurlItem {
  url: string;
  insecure: boolean;
  secrets?: { name: string };
}

export function normaliseItem(raw: unknown): CurlItem | { error: string } {
  if (typeof raw === 'string') return { url: raw, insecure: false };
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const item = raw as Record<string, unknown>;
    if (typeof item['url'] === 'string') {
      const secrets = item['secrets'] as { name?: unknown } | undefined;
      return {
        url: item['url'],
        insecure: item['insecure'] === true,
        ...(secrets !== undefined ? { secrets: { name: String(secrets?.name) } } : {}),
      };
    }
  }
  return { error: `not an org.osbuild.curl item (a URL or {"url": …}): ${JSON.stringify(raw)}` };
}
