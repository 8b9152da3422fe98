import { writeFileSync } from 'node:fs';
import type { Manifest } from '@osbuild-ts/core';
import { collectSbom, type StageMetadataRecord } from './collect.js';
import { cyclonedxDocument, spdxDocument, type SbomFormat } from './documents.js';

/** `--sbom FILE`: the exported pipelines' packages, from the build's stage metadata (cached stages' from the store). */
export function writeSbom(file: string, format: SbomFormat, manifest: Manifest, manifestName: string, records: readonly StageMetadataRecord[], exportNames: readonly string[]): number {
  const input = collectSbom(manifest, manifestName, records, exportNames);
  const doc = format === 'cyclonedx' ? cyclonedxDocument(input) : spdxDocument(input);
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return input.exports.reduce((n, e) => n + e.packages.length, 0);
}
