/**
 * An object's layer <-> a zstd-compressed tar. GNU tar, because the layer
 * must come back exactly: owners (numeric), modes, mtimes to the
 * nanosecond (pax headers), every xattr (security.selinux, trusted.overlay.*
 * of overlay layers, capabilities), hardlinks, device nodes and overlay
 * whiteouts (0/0 character devices). The archive is reproducible (sorted
 * names, no atime/ctime, fixed pax header names), so the same layer gives
 * the same blob on every machine and a registry stores it once.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestMismatch } from './registry.js';
import { TarHasher } from './tar-hash.js';

const COMMON = ['--format=posix', '--numeric-owner', '--xattrs', '--xattrs-include=*', '--acls'];

export interface Packed {
  readonly digest: string;
  readonly size: number;
}

/** Writes the layer at `dir` as tar+zstd to `file`; returns the blob's digest and size. */
export async function packLayer(dir: string, file: string, options: { level?: number } = {}): Promise<Packed> {
  const tar = spawn(
    'tar',
    [
      '--create',
      '--file=-',
      `--directory=${dir}`,
      ...COMMON,
      '--sort=name',
      // Disk images are mostly holes: archived as such, they unpack as holes, not gigabytes of zeros.
      '--sparse',
      '--atime-preserve=system',
      '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
      `--use-compress-program=zstd -q -T0 -${options.level ?? 3}`,
      '.',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr = collectStderr(tar.stderr);
  const exited = exitOf(tar);
  const hash = createHash('sha256');
  let size = 0;
  tar.stdout.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  await pipeline(tar.stdout, createWriteStream(file));
  const code = await exited;
  if (code !== 0) throw new Error(`tar could not archive ${dir} (exit ${code}): ${(await stderr).trim().split('\n').slice(-3).join('; ')}`);
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

export interface Unpacked {
  /** Bytes of the compressed blob. */
  readonly bytes: number;
  /** sha256 (hex) of each regular file extracted, by path relative to `dir` (see tar-hash.ts). */
  readonly hashes: ReadonlyMap<string, string>;
}

/**
 * Extracts a tar+zstd stream into `dir` (empty) while hashing it; throws
 * DigestMismatch when the bytes were not `digest` (the caller discards `dir`).
 * The decompressed tar passes through this process on its way to `tar
 * --extract`, which hashes every file's content as it goes by: the import
 * need not read the extracted files again.
 */
export async function unpackLayer(source: Readable, dir: string, digest: string, onBytes?: (n: number) => void): Promise<Unpacked> {
  const zstd = spawn('zstd', ['-d', '-q', '-c'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const tar = spawn('tar', ['--extract', '--file=-', `--directory=${dir}`, ...COMMON, '--same-owner', '--same-permissions'], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const zstdErr = collectStderr(zstd.stderr);
  const stderr = collectStderr(tar.stderr);
  const zstdExited = exitOf(zstd);
  const exited = exitOf(tar);
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  const files = new TarHasher();
  let streamError: unknown = null;
  const fail = (error: unknown) => {
    streamError ??= error;
    zstd.kill('SIGKILL');
    tar.kill('SIGKILL');
  };
  await Promise.all([pipeline(source, tap, zstd.stdin).catch(fail), pipeline(zstd.stdout, files, tar.stdin).catch(fail)]);
  const [zstdCode, code] = await Promise.all([zstdExited, exited]);
  const actual = `sha256:${hash.digest('hex')}`;
  if (streamError === null && actual !== digest) throw new DigestMismatch(digest, actual);
  if (streamError !== null) throw streamError instanceof Error ? streamError : new Error(String(streamError));
  if (zstdCode !== 0) throw new Error(`zstd could not decompress blob ${digest} (exit ${zstdCode}): ${(await zstdErr).trim().split('\n').slice(-3).join('; ')}`);
  if (code !== 0) throw new Error(`tar could not extract blob ${digest} (exit ${code}): ${(await stderr).trim().split('\n').slice(-3).join('; ')}`);
  return { bytes: size, hashes: files.hashes };
}

function collectStderr(stream: Readable): Promise<string> {
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    if (text.length < 65536) text += chunk.toString('utf8');
  });
  return new Promise((resolve) => stream.on('close', () => resolve(text)));
}

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`cannot run ${child.spawnfile} (${(error as NodeJS.ErrnoException).code ?? error.message}): the remote cache needs GNU tar and zstd`)));
    child.on('close', (code) => resolve(code));
  });
}
