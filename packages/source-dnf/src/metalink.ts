/**
 * A metalink for a repository's `repomd.xml`, as mirrormanager serves them
 * (metalink 3.0, `http://www.metalinker.org/`) or in RFC 5854's form
 * (metalink 4, `urn:ietf:params:xml:ns:metalink`): the mirrors that hold
 * the repository, best first, and the checksums a current `repomd.xml` may
 * have (the newest, then the alternates mirrormanager still accepts).
 */
import { digestAlgorithm, parseRepositoryXml, type XmlNode as Node } from './repository-xml.js';

export interface Metalink {
  /** Repository base URLs (each `…/repodata/repomd.xml` with that suffix removed), best first. */
  bases: string[];
  /** Acceptable `repomd.xml` digests, newest first: algorithm (md5 sha1 sha256 sha384 sha512) → hex. */
  hashes: Record<string, string>[];
}

const ARRAYS = new Set(['file', 'url', 'hash', 'alternate']);

export function parseMetalink(xml: string, where = 'metalink'): Metalink {
  const doc = parseRepositoryXml(xml, where, ARRAYS);
  const root = doc['metalink'] as Node | undefined;
  if (root === undefined) throw new Error(`${where}: not a metalink (no <metalink> element)`);
  // Metalink 3 wraps the files in <files>; metalink 4 does not.
  const files = ((root['files'] as Node | undefined)?.['file'] ?? root['file'] ?? []) as Node[];
  const file = files.find((f) => f['@_name'] === 'repomd.xml');
  if (file === undefined) throw new Error(`${where}: no <file name="repomd.xml">`);

  const hashes = [hashesOf(file)];
  const alternates = ((file['alternates'] as Node | undefined)?.['alternate'] ?? []) as Node[];
  for (const alternate of alternates) hashes.push(hashesOf(alternate));

  const urls = ((file['resources'] as Node | undefined)?.['url'] ?? file['url'] ?? []) as (Node | string)[];
  const ranked = urls
    .map((u, index) => {
      const node = typeof u === 'string' ? { '#text': u } : u;
      const text = String(node['#text'] ?? '').trim();
      // v3: preference 0–100, higher first; v4: priority 1–999999, lower first.
      const preference = node['@_preference'] !== undefined ? Number(node['@_preference']) : node['@_priority'] !== undefined ? 1_000_000 - Number(node['@_priority']) : 0;
      return { text, preference: Number.isFinite(preference) ? preference : 0, index };
    })
    .filter((u) => /^(https?|file):\/\//i.test(u.text))
    .sort((a, b) => b.preference - a.preference || a.index - b.index);
  const bases: string[] = [];
  for (const { text } of ranked) {
    const base = text.replace(/\/?repodata\/repomd\.xml$/, '');
    if (!bases.includes(base)) bases.push(base);
  }
  if (hashes[0] !== undefined && Object.keys(hashes[0]).length === 0) hashes.shift();
  return { bases, hashes: hashes.filter((h) => Object.keys(h).length > 0) };
}

/** The `<hash type=…>` children of an element's `<verification>` (v3) or of the element itself (v4). */
function hashesOf(node: Node): Record<string, string> {
  const list = ((node['verification'] as Node | undefined)?.['hash'] ?? node['hash'] ?? []) as Node[];
  const out: Record<string, string> = {};
  for (const hash of list) {
    const algorithm = digestAlgorithm(String(hash['@_type'] ?? ''));
    const hex = String(hash['#text'] ?? '').trim().toLowerCase();
    if (algorithm !== undefined && /^[0-9a-f]+$/.test(hex)) out[algorithm] = hex;
  }
  return out;
}
