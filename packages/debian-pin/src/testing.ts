/**
 * For the tests of Debian stages: pin a description against the host's
 * mirror, fetch its .debs once into a cache shared by every run, and lay
 * them out as the engine would give them to a stage (an `org.osbuild.files`
 * input: a directory of files named by checksum, and `data.files` with the
 * pin metadata).
 */
import { copyFileSync, linkSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Description } from './description.js';
import { fetchDebs } from './fetch-debs.js';
import { checksumOf, references } from './manifest.js';
import { pin, type PinnedSet } from './pin.js';

export const TEST_DEB_CACHE = '/var/cache/osbuild-ts/test-debs';

export interface PinnedInput {
  sets: Map<string, PinnedSet>;
  /** Per description name: the input directory and its `data.files`. */
  inputs: Map<string, { path: string; files: Record<string, Record<string, string>> }>;
}

export async function pinnedInputs(
  descriptions: Record<string, Description>,
  options: { debCache?: string; cacheDir?: string; dir?: string } = {},
): Promise<PinnedInput> {
  const debCache = options.debCache ?? TEST_DEB_CACHE;
  const sets = await pin(new Map(Object.entries(descriptions)), options.cacheDir ? { cacheDir: options.cacheDir } : {});
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'debian-input-'));
  const inputs: PinnedInput['inputs'] = new Map();
  for (const [name, set] of sets) {
    await fetchDebs(set.packages, debCache);
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    for (const p of set.packages) {
      const file = checksumOf(p);
      try {
        linkSync(join(debCache, file), join(dir, file));
      } catch {
        copyFileSync(join(debCache, file), join(dir, file));
      }
    }
    const files = Object.fromEntries(references(set.packages).map((r) => [r.id, r.options.metadata]));
    inputs.set(name, { path: dir, files });
  }
  return { sets, inputs };
}
