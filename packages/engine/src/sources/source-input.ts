/**
 * A stage input of origin `org.osbuild.source`, type `org.osbuild.files`
 * (spec 8.2): a directory holding a hard link `<checksum>` to each
 * referenced item of the source cache — no copy, and the cache file cannot
 * change under the stage (items are never rewritten in place) — and the
 * input's `data.files`: {checksum: the reference's `metadata` or {}}.
 */
import { copyFile, constants, link, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OsbuildError, type PyJson, type PyObject } from '@osbuild-ts/core';
import type { Store } from '@osbuild-ts/store';

const CONTENT_TYPE = 'org.osbuild.files';

export async function prepareSourceInput(store: Store, dir: string, references: Map<string | null, PyJson>): Promise<PyObject> {
  await mkdir(dir, { recursive: true });
  const files: PyObject = new Map();
  for (const [checksum, options] of references) {
    if (checksum === null) throw new OsbuildError('E_MANIFEST_INVALID', 'a source input references no item (null)');
    let cached: string;
    try {
      cached = store.sources.path(CONTENT_TYPE, checksum);
    } catch (cause) {
      throw new OsbuildError('E_MANIFEST_INVALID', `a source input references ${JSON.stringify(checksum)}, which is not a checksum`, { cause });
    }
    if (!(await store.sources.has(CONTENT_TYPE, checksum))) {
      throw new OsbuildError('E_SOURCE_FETCH', `source item ${checksum} is not in the store's source cache (${cached})`, {
        hint: 'Sources are fetched before the build; was this item listed under the manifest\'s "sources"?',
        details: { checksum },
      });
    }
    const target = join(dir, checksum);
    try {
      await link(cached, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await sameFile(cached, target))) {
        // Referenced twice, or the directory is reused: the link is already there.
      } else if (code === 'EXDEV') {
        // The input directory is on another filesystem than the store: a reflink where possible, else a copy.
        await copyFile(cached, target, constants.COPYFILE_FICLONE);
      } else {
        throw error;
      }
    }
    files.set(checksum, metadataOf(options));
  }
  return files;
}

function metadataOf(options: PyJson): PyObject {
  const meta = options instanceof Map ? options.get('metadata') : undefined;
  return meta instanceof Map ? meta : new Map();
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a), stat(b)]);
  return x.ino === y.ino && x.dev === y.dev;
}
