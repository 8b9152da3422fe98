/**
 * What the repository documents (repomd.xml, metalinks) share: one way of
 * parsing them and of naming their digest algorithms.
 */
import { XMLParser } from 'fast-xml-parser';

export type XmlNode = Record<string, unknown>;

/**
 * Parses `xml` with attributes as `@_name`, namespace prefixes dropped and
 * every value kept as the text it is; elements named in `arrays` are always
 * arrays. Not XML is an error naming `where`.
 */
export function parseRepositoryXml(xml: string, where: string, arrays: ReadonlySet<string>): XmlNode {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => arrays.has(name),
  });
  try {
    return parser.parse(xml, true) as XmlNode;
  } catch (error) {
    throw new Error(`${where}: not XML: ${(error as Error).message}`);
  }
}

/** A digest type as these documents write it (`SHA-256`, `sha`) → the source cache's name, or undefined when unknown. */
export function digestAlgorithm(type: string): string | undefined {
  const t = type.toLowerCase().replace('-', '');
  if (t === 'sha') return 'sha1';
  return ['md5', 'sha1', 'sha256', 'sha384', 'sha512'].includes(t) ? t : undefined;
}
