import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dumpsPy } from '../../src/json/dumps.js';
import { parsePyJson } from '../../src/json/parse.js';
import { describeManifest } from '../../src/manifest/describe.js';
import { loadManifest } from '../../src/manifest/load.js';

const dir = fileURLToPath(new URL('../vectors/', import.meta.url));
const names = readdirSync(dir)
  .filter((file) => file.endsWith('.json') && !file.endsWith('.inspect.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

describe('--inspect test vectors (spec 12)', () => {
  it('has all 14 vectors', () => {
    expect(names).toHaveLength(14);
  });

  it.each(names)('%s matches upstream byte for byte', (name) => {
    // Manifests are UTF-8; upstream's output is ASCII, so latin1 keeps every byte.
    const manifest = readFileSync(`${dir}${name}.json`, 'utf8');
    const expected = readFileSync(`${dir}${name}.inspect.json`, 'latin1');
    const loaded = loadManifest(parsePyJson(manifest, `${name}.json`), { hostRunner: 'org.osbuild.debian' });
    expect(dumpsPy(describeManifest(loaded)) + '\n').toBe(expected);
  });
});
