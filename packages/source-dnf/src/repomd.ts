/**
 * A repository's `repodata/repomd.xml`: the metadata files it lists, each
 * with the checksum of its bytes as served (compressed) and its location
 * relative to the repository base.
 */
import { digestAlgorithm, parseRepositoryXml, type XmlNode as Node } from './repository-xml.js';

export interface RepomdEntry {
  /** `primary`, `filelists`, `group_gz`, `modules`, … */
  type: string;
  /** Relative to the repository base: `repodata/<hex>-primary.xml.gz`. */
  href: string;
  /** `<algo>:<hex>`, algo as the source cache names it (`sha` is sha1). */
  checksum: string;
  size: number | undefined;
}

const ARRAYS = new Set(['data']);

export function parseRepomd(xml: string, where = 'repomd.xml'): RepomdEntry[] {
  const doc = parseRepositoryXml(xml, where, ARRAYS);
  const repomd = doc['repomd'] as Node | undefined;
  if (repomd === undefined || typeof repomd !== 'object') throw new Error(`${where}: not a repomd.xml (no <repomd> element)`);
  const entries: RepomdEntry[] = [];
  for (const data of (repomd['data'] ?? []) as Node[]) {
    const type = String(data['@_type'] ?? '');
    const location = data['location'] as Node | undefined;
    const href = String(location?.['@_href'] ?? '');
    const sum = data['checksum'] as Node | string | undefined;
    const algorithm = digestAlgorithm(String(typeof sum === 'object' ? (sum['@_type'] ?? '') : ''));
    const hex = String(typeof sum === 'object' ? (sum['#text'] ?? '') : (sum ?? '')).trim().toLowerCase();
    if (type === '' || href === '' || algorithm === undefined || !/^[0-9a-f]+$/.test(hex)) {
      throw new Error(`${where}: <data type="${type}"> lacks a location or a checksum this tool knows (md5 sha1 sha256 sha384 sha512)`);
    }
    if (location?.['@_base'] !== undefined) throw new Error(`${where}: <data type="${type}"> has a location base (xml:base), which librepo items cannot express`);
    const size = Number(data['size']);
    entries.push({ type, href, checksum: `${algorithm}:${hex}`, size: Number.isFinite(size) ? size : undefined });
  }
  return entries;
}

/**
 * The metadata dnf reads, and so what a depsolve pins: libdnf's download
 * list (primary, filelists, prestodelta, comps, updateinfo, modules). The
 * sqlite and zchunk variants, `other` (changelogs) and the rest are left
 * out: dnf does not read them when zchunk is off.
 */
export function metadataForDnf(entries: readonly RepomdEntry[]): RepomdEntry[] {
  const has = (type: string) => entries.some((e) => e.type === type);
  const wanted = new Set(['primary', 'filelists', 'prestodelta', 'updateinfo', 'modules', has('group_gz') ? 'group_gz' : 'group']);
  return entries.filter((e) => wanted.has(e.type));
}
