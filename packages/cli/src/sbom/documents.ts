import { createHash } from 'node:crypto';
import { uuidFrom, type SbomInput, type SbomPackage } from './collect.js';

export type SbomFormat = 'spdx' | 'cyclonedx';
export const SBOM_FORMATS: readonly SbomFormat[] = ['spdx', 'cyclonedx'];

const TOOL = { name: 'osbuild-ts', version: '0.1.0' };

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** SPDX ids allow letters, digits, `.` and `-`: a readable part and a digest keep them unique. */
function spdxId(prefix: string, text: string): string {
  const readable = text.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 60);
  return `SPDXRef-${prefix}-${readable}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

function spdxPackage(p: SbomPackage): Record<string, unknown> {
  return {
    SPDXID: spdxId(p.kind, p.purl),
    name: p.name,
    versionInfo: p.epoch && p.epoch !== '0' ? `${p.epoch}:${p.version}` : p.version,
    downloadLocation: p.downloadLocation ?? 'NOASSERTION',
    filesAnalyzed: false,
    ...(p.sha256 ? { checksums: [{ algorithm: 'SHA256', checksumValue: p.sha256 }] } : {}),
    ...(p.source ? { sourceInfo: `built from the ${p.kind === 'deb' ? 'Debian ' : ''}source package ${p.source.name} ${p.source.version}` } : {}),
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    ...(p.license ? { comment: `The package declares its licence as: ${p.license}` } : {}),
    copyrightText: 'NOASSERTION',
    supplier: 'NOASSERTION',
    primaryPackagePurpose: 'INSTALL',
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl }],
  };
}

/** An SPDX 2.3 JSON document: the document describes one package per export, which contains its packages. */
export function spdxDocument(input: SbomInput): Record<string, unknown> {
  const packages: Record<string, unknown>[] = [];
  const relationships: Record<string, unknown>[] = [];
  const added = new Set<string>();
  for (const e of input.exports) {
    const exportId = spdxId('export', e.name);
    packages.push({
      SPDXID: exportId,
      name: e.name,
      ...(e.pipelineId ? { versionInfo: e.pipelineId } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'OPERATING-SYSTEM',
      comment: `The export ${e.name} of ${input.manifestName} (pipeline id ${e.pipelineId ?? 'none'})`,
    });
    relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: exportId });
    for (const p of e.packages) {
      const doc = spdxPackage(p);
      if (!added.has(doc.SPDXID as string)) {
        added.add(doc.SPDXID as string);
        packages.push(doc);
      }
      relationships.push({ spdxElementId: exportId, relationshipType: 'CONTAINS', relatedSpdxElement: doc.SPDXID });
    }
  }
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${input.manifestName}: ${input.exports.map((e) => e.name).join(', ')}`,
    documentNamespace: `urn:uuid:${uuidFrom(input.namespaceId)}`,
    creationInfo: { created: iso(input.created), creators: [`Tool: ${TOOL.name}-${TOOL.version}`] },
    packages,
    relationships,
  };
}

/** A CycloneDX 1.5 JSON BOM: one operating-system component per export, its packages as library components it depends on. */
export function cyclonedxDocument(input: SbomInput): Record<string, unknown> {
  const components: Record<string, unknown>[] = [];
  const dependencies: { ref: string; dependsOn: string[] }[] = [];
  const added = new Set<string>();
  const exportRefs: string[] = [];
  for (const e of input.exports) {
    const ref = `export:${e.name}`;
    exportRefs.push(ref);
    components.push({ type: 'operating-system', 'bom-ref': ref, name: e.name, ...(e.pipelineId ? { version: e.pipelineId } : {}), description: `The export ${e.name} of ${input.manifestName}` });
    dependencies.push({ ref, dependsOn: e.packages.map((p) => p.purl) });
    for (const p of e.packages) {
      if (added.has(p.purl)) continue;
      added.add(p.purl);
      components.push({
        type: 'library',
        'bom-ref': p.purl,
        name: p.name,
        version: p.epoch && p.epoch !== '0' ? `${p.epoch}:${p.version}` : p.version,
        purl: p.purl,
        ...(p.sha256 ? { hashes: [{ alg: 'SHA-256', content: p.sha256 }] } : {}),
        ...(p.license ? { licenses: [{ license: { name: p.license } }] } : {}),
        ...(p.downloadLocation ? { externalReferences: [{ type: 'distribution', url: p.downloadLocation }] } : {}),
        properties: [
          { name: 'osbuild-ts:package-type', value: p.kind },
          { name: 'osbuild-ts:arch', value: p.arch },
          ...(p.source ? [{ name: 'osbuild-ts:source-package', value: `${p.source.name} ${p.source.version}` }] : []),
        ],
      });
      dependencies.push({ ref: p.purl, dependsOn: [] });
    }
  }
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${uuidFrom(input.namespaceId)}`,
    version: 1,
    metadata: {
      timestamp: iso(input.created),
      tools: { components: [{ type: 'application', name: TOOL.name, version: TOOL.version }] },
      component: { type: 'operating-system', 'bom-ref': 'manifest', name: input.manifestName },
    },
    components,
    dependencies: [{ ref: 'manifest', dependsOn: exportRefs }, ...dependencies],
  };
}
