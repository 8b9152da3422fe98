// Checks of --sbom's documents, shared by the CLI's tests and the samples':
// CycloneDX 1.5 against the official JSON schema as @cyclonedx/cyclonedx-library
// ships it (res/schema, with the SPDX licence list and JSF schemas it refers
// to); SPDX 2.3 against the rules of its specification that its JSON schema
// checks, plus the references between elements (no npm package ships the
// SPDX 2.3 JSON schema: see the README).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);
const cdxSchemas = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');

/** Ajv with the CycloneDX 1.5 schema and the two it refers to, by the names it refers to them. */
export function cyclonedxValidator() {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  // JSON Schema's IRI and IDN formats, which ajv-formats lacks: no white space / one @.
  ajv.addFormat('iri-reference', (s: string) => !/\s/.test(s));
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/);
  for (const name of ['spdx', 'jsf-0.82']) {
    const schema = JSON.parse(readFileSync(join(cdxSchemas, `${name}.SNAPSHOT.schema.json`), 'utf8')) as Record<string, unknown>;
    ajv.addSchema({ ...schema, $id: `http://cyclonedx.org/schema/${name}.SNAPSHOT.schema.json` });
  }
  return ajv.compile(JSON.parse(readFileSync(join(cdxSchemas, 'bom-1.5.SNAPSHOT.schema.json'), 'utf8')) as Record<string, unknown>);
}

/** The SPDX 2.3 rules a JSON schema checks, and the cross-references it cannot: problems as text. */
export function spdxProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => void (ok || problems.push(what));
  need(doc.spdxVersion === 'SPDX-2.3', 'spdxVersion SPDX-2.3');
  need(doc.dataLicense === 'CC0-1.0', 'dataLicense CC0-1.0');
  need(doc.SPDXID === 'SPDXRef-DOCUMENT', 'SPDXID SPDXRef-DOCUMENT');
  need(typeof doc.name === 'string' && doc.name !== '', 'name');
  need(typeof doc.documentNamespace === 'string' && /^[a-z][a-z0-9+.-]*:[^#\s]+$/.test(doc.documentNamespace), 'documentNamespace: a URI without #');
  const info = doc.creationInfo as { created?: string; creators?: string[] } | undefined;
  need(typeof info?.created === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(info.created), 'creationInfo.created YYYY-MM-DDThh:mm:ssZ');
  need(Array.isArray(info?.creators) && info.creators.length > 0 && info.creators.every((c) => /^(Tool|Person|Organization): .+/.test(c)), 'creationInfo.creators');
  const ids = new Set<string>(['SPDXRef-DOCUMENT']);
  const packages = (doc.packages ?? []) as Record<string, unknown>[];
  for (const [i, p] of packages.entries()) {
    const at = `packages[${i}]`;
    need(typeof p.SPDXID === 'string' && /^SPDXRef-[A-Za-z0-9.-]+$/.test(p.SPDXID), `${at}.SPDXID`);
    need(!ids.has(p.SPDXID as string), `${at}.SPDXID unique`);
    ids.add(p.SPDXID as string);
    need(typeof p.name === 'string' && p.name !== '', `${at}.name`);
    need(typeof p.downloadLocation === 'string' && (p.downloadLocation === 'NOASSERTION' || p.downloadLocation === 'NONE' || /^[a-z+]+:\/\//.test(p.downloadLocation)), `${at}.downloadLocation`);
    need(p.filesAnalyzed === false, `${at}.filesAnalyzed false (no files listed)`);
    for (const c of (p.checksums ?? []) as { algorithm: string; checksumValue: string }[]) need(c.algorithm === 'SHA256' && /^[0-9a-f]{64}$/.test(c.checksumValue), `${at}.checksums`);
    for (const r of (p.externalRefs ?? []) as Record<string, string>[]) need(r.referenceCategory === 'PACKAGE-MANAGER' && r.referenceType === 'purl' && /^pkg:[a-z]+\/[^@]+@[^?]+(\?.*)?$/.test(r.referenceLocator ?? ''), `${at}.externalRefs purl`);
    if (p.primaryPackagePurpose !== undefined) need(['APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'OPERATING-SYSTEM', 'DEVICE', 'FIRMWARE', 'SOURCE', 'ARCHIVE', 'FILE', 'INSTALL', 'OTHER'].includes(p.primaryPackagePurpose as string), `${at}.primaryPackagePurpose`);
    const known = new Set(['SPDXID', 'name', 'versionInfo', 'downloadLocation', 'filesAnalyzed', 'checksums', 'sourceInfo', 'licenseConcluded', 'licenseDeclared', 'comment', 'copyrightText', 'supplier', 'primaryPackagePurpose', 'externalRefs']);
    for (const key of Object.keys(p)) need(known.has(key), `${at}.${key}: not a package field used here`);
  }
  for (const [i, r] of ((doc.relationships ?? []) as Record<string, string>[]).entries()) {
    need(ids.has(r.spdxElementId!) && ids.has(r.relatedSpdxElement!), `relationships[${i}] refers to elements of the document`);
    need(['DESCRIBES', 'CONTAINS'].includes(r.relationshipType!), `relationships[${i}].relationshipType`);
  }
  return problems;
}

