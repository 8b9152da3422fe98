import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/**
 * Writes the decoded bytes of an inline item to `path` and returns
 * `<algo>:<hex>` of exactly what was written. `lzma+base64` is decompressed
 * by `xz` (auto-detecting .xz and legacy .lzma streams, as Python's
 * `lzma.decompress` does): every distribution ships it, and no npm package
 * decodes LZMA both well-kept and without a native build.
 */
export async function writeDecoded(encoding: string, data: string, path: string, algorithm: string): Promise<string> {
  const raw = Buffer.from(data, 'base64');
  const hash = createHash(algorithm);
  const file = await open(path, 'w');
  try {
    if (encoding === 'base64') {
      await file.write(raw);
      hash.update(raw);
    } else if (encoding === 'lzma+base64') {
      await unxz(raw, async (chunk) => {
        await file.write(chunk);
        hash.update(chunk);
      });
    } else {
      throw new Error(`unknown encoding ${JSON.stringify(encoding)} (base64 and lzma+base64 are known)`);
    }
  } finally {
    await file.close();
  }
  return `${algorithm}:${hash.digest('hex')}`;
}

async function unxz(input: Buffer, sink: (chunk: Buffer) => Promise<void>): Promise<void> {
  const child = spawn('xz', ['--decompress', '--stdout', '--format=auto', '--no-warn'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error('lzma+base64 needs the xz command (package xz-utils or xz), which is not installed') : error),
    );
    child.on('close', resolve);
  });
  child.stdin.on('error', () => undefined); // xz may exit early on bad input; its status says why
  child.stdin.end(input);
  for await (const chunk of child.stdout) await sink(chunk as Buffer);
  const status = await exited;
  if (status !== 0) throw new Error(`lzma data does not decompress: ${stderr.trim().replace(/^xz: \(stdin\): /, '') || `xz exited with ${status}`}`);
}
