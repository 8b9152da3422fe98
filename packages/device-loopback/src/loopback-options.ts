import { posix } from 'node:path';

/** The options of org.osbuild.loopback, as upstream's schema has them. */
export interface LoopbackOptions {
  filename: string;
  start?: number;
  size?: number;
  'sector-size'?: number;
  lock?: boolean;
  partscan?: boolean;
  'read-only'?: boolean;
}

/** The file system facts loopSetup needs (injected, so its rules are testable without files). */
export interface FileFacts {
  size(path: string): number;
  realpath(path: string): string;
}

/** What the loop device is set up with, in bytes. */
export interface LoopSetup {
  /** Host path of the backing file. */
  file: string;
  offset: number;
  /** Null: to the end of the file. */
  sizelimit: number | null;
  sectorSize: number;
  lock: boolean;
  partscan: boolean;
  readOnly: boolean;
}

function wholeNumber(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`"${name}" must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Options → byte ranges, as upstream computes them: `start` and `size` count
 * sectors of `sector-size` bytes; without `size` the device runs to the end
 * of the file. `filename` is inside the stage's tree and may not climb out.
 */
export function loopSetup(options: LoopbackOptions, tree: string, files: FileFacts): LoopSetup {
  if (typeof options.filename !== 'string' || options.filename === '') throw new Error('"filename" is required');
  // Normalised below the tree's root, so `..` cannot climb out of it; a
  // symlink in the tree that points outside is refused below.
  const file = posix.join(tree, posix.normalize(`/${options.filename}`));
  const sectorSize = wholeNumber(options['sector-size'], 'sector-size', 512);
  if (![512, 1024, 2048, 4096].includes(sectorSize)) {
    throw new Error(`"sector-size" must be 512, 1024, 2048 or 4096 (what loop devices support), got ${sectorSize}`);
  }
  const offset = wholeNumber(options.start, 'start', 0) * sectorSize;
  const size = options.size === undefined ? null : wholeNumber(options.size, 'size', 0) * sectorSize;
  let length: number;
  let real: string;
  try {
    length = files.size(file);
    real = files.realpath(file);
  } catch {
    throw new Error(`"filename" ${options.filename} does not exist in the stage's tree`);
  }
  const realTree = files.realpath(tree);
  if (!real.startsWith(`${realTree}/`)) throw new Error(`"filename" ${options.filename} leads out of the stage's tree (to ${real})`);
  if (offset >= length) {
    throw new Error(`"start" ${options.start} (byte ${offset}) is at or beyond the end of ${options.filename} (${length} bytes)`);
  }
  if (size !== null && offset + size > length) {
    throw new Error(`"start" + "size" (bytes ${offset}–${offset + size}) run past the end of ${options.filename} (${length} bytes)`);
  }
  if (size === 0) throw new Error('"size" must be more than 0 sectors');
  return {
    file: real,
    offset,
    sizelimit: size,
    sectorSize,
    lock: options.lock === true,
    partscan: options.partscan === true,
    readOnly: options['read-only'] === true,
  };
}
