import { readFileSync } from 'node:fs';
import { dumpsPy } from '../../src/json/dumps.js';
import { parsePyJson } from '../../src/json/parse.js';
import { describeManifest } from '../../src/manifest/describe.js';
import { loadManifest } from '../../src/manifest/load.js';
import type { Manifest } from '../../src/manifest/model.js';

/** Loads a manifest file the way the vectors were produced: on a Debian 12 host. */
export function loadFile(path: string): Manifest {
  return loadManifest(parsePyJson(readFileSync(path, 'utf8'), path), { hostRunner: 'org.osbuild.debian12' });
}

export function loadText(text: string): Manifest {
  return loadManifest(parsePyJson(text), { hostRunner: 'org.osbuild.debian12' });
}

/** What `osbuild --inspect` prints for a loaded manifest. */
export function inspect(manifest: Manifest): string {
  return `${dumpsPy(describeManifest(manifest))}\n`;
}

/** Upstream's output is ASCII; latin1 keeps every byte as one char. */
export function readExpected(path: string): string {
  return readFileSync(path, 'latin1');
}
