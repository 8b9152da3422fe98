/**
 * `org.osbuild.librepo`'s options: `{"mirrors": {"<id>": {"url", "type",
 * "insecure"?, "max-parallels"?, "fastest-mirror"?, "secrets"?}}}`. The
 * engine has validated them against schema.json; this is the plugin's own
 * check, for messages that name the mirror when it runs on its own.
 */

export const MIRROR_TYPES = ['baseurl', 'mirrorlist', 'metalink'] as const;
export type MirrorType = (typeof MIRROR_TYPES)[number];

export interface Mirror {
  id: string;
  url: string;
  type: MirrorType;
  insecure: boolean;
  /** Downloads from this mirror at once (librepo's `maxparalleldownloads`); undefined: the run's limit. */
  maxParallels: number | undefined;
  /** Try the mirrors of a list in order of connection time (librepo's `fastestmirror`). */
  fastestMirror: boolean;
  /** A secrets provider: accepted by the schema, not supported here. */
  secrets: string | undefined;
}

const MIRROR_ID = /^[0-9a-zA-Z-._:]+$/;

export function parseMirrors(options: unknown): Map<string, Mirror> {
  const where = 'org.osbuild.librepo options';
  const mirrors = (options as { mirrors?: unknown } | null)?.mirrors;
  if (typeof mirrors !== 'object' || mirrors === null || Array.isArray(mirrors)) {
    throw new Error(`${where}: "mirrors" is required: {"<mirror id>": {"url": …, "type": "baseurl" | "mirrorlist" | "metalink"}}`);
  }
  const out = new Map<string, Mirror>();
  for (const [id, raw] of Object.entries(mirrors as Record<string, unknown>)) {
    const at = `${where}: mirrors.${id}`;
    if (!MIRROR_ID.test(id)) throw new Error(`${at}: a mirror id is made of letters, digits and - . _ :`);
    const m = raw as Record<string, unknown>;
    if (typeof raw !== 'object' || raw === null || typeof m['url'] !== 'string' || m['url'] === '') throw new Error(`${at}: "url" is required, a string`);
    if (!MIRROR_TYPES.includes(m['type'] as MirrorType)) throw new Error(`${at}: "type" must be one of ${MIRROR_TYPES.join(', ')}`);
    const maxParallels = m['max-parallels'];
    if (maxParallels !== undefined && (typeof maxParallels !== 'number' || !(maxParallels >= 1))) throw new Error(`${at}: "max-parallels" must be a number ≥ 1`);
    const secrets = m['secrets'] as { name?: unknown } | undefined;
    out.set(id, {
      id,
      url: m['url'],
      type: m['type'] as MirrorType,
      insecure: m['insecure'] === true,
      maxParallels: maxParallels === undefined ? undefined : Math.floor(maxParallels),
      fastestMirror: m['fastest-mirror'] === true,
      secrets: secrets === undefined ? undefined : String(secrets?.name),
    });
  }
  return out;
}

/** An item: `{"path": "Packages/f/foo.rpm", "mirror": "<id>"}`. */
export interface LibrepoItem {
  path: string;
  mirror: string;
}

export function parseItem(raw: unknown): LibrepoItem | { error: string } {
  const item = raw as Record<string, unknown> | null;
  if (typeof raw !== 'object' || item === null || Array.isArray(raw) || typeof item['path'] !== 'string' || item['path'] === '' || typeof item['mirror'] !== 'string') {
    return { error: `not an org.osbuild.librepo item ({"path": …, "mirror": …}): ${JSON.stringify(raw)}` };
  }
  return { path: item['path'], mirror: item['mirror'] };
}
