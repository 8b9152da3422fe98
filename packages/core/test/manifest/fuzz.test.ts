import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '../../src/errors.js';
import { dumpsPy } from '../../src/json/dumps.js';
import { parsePyJson } from '../../src/json/parse.js';
import type { PyJson } from '../../src/json/types.js';
import { describeManifest } from '../../src/manifest/describe.js';
import { loadManifest } from '../../src/manifest/load.js';

const dir = fileURLToPath(new URL('../vectors/', import.meta.url));
const vectors = readdirSync(dir)
  .filter((file) => file.endsWith('.json') && !file.endsWith('.inspect.json'))
  .map((file) => readFileSync(`${dir}${file}`, 'utf8'));

/** Small deterministic PRNG (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD: PyJson[] = [null, true, false, 0n, -1n, 1.5, Number.NaN, '', 'name:os', 'name:build', 'x', [], ['name:os'], new Map(), [new Map()]];

/** Every container slot of a document: [parent, key]. */
function slots(value: PyJson, out: Array<[PyJson[] | Map<string, PyJson>, number | string]> = []) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([value, index]);
      slots(item, out);
    });
  } else if (value instanceof Map) {
    for (const [key, item] of value) {
      out.push([value, key]);
      slots(item, out);
    }
  }
  return out;
}

describe('loading mutated vectors', () => {
  it('either loads (and describes) or fails with an OsbuildError, 3000 mutants', () => {
    const next = random(42);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    for (let round = 0; round < 3000; round++) {
      const text = pick(vectors);
      const doc = parsePyJson(text);
      for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
        const all = slots(doc);
        if (all.length === 0) break;
        const [parent, key] = pick(all);
        const replacement = pick(ODD);
        const fresh = replacement instanceof Map ? new Map() : Array.isArray(replacement) ? [...replacement] : replacement;
        if (parent instanceof Map) {
          if (next() < 0.2) parent.delete(key as string);
          else parent.set(key as string, fresh);
        } else {
          parent[key as number] = fresh;
        }
      }
      try {
        const manifest = loadManifest(doc, { hostRunner: 'org.osbuild.debian' });
        expect(typeof dumpsPy(describeManifest(manifest))).toBe('string');
      } catch (error) {
        if (!isOsbuildError(error)) throw new Error(`round ${round}: ${dumpsPy(doc)}\n${String(error)}`);
      }
    }
  });
});
