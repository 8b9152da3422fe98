/**
 * A flat apt repository made from pinned .debs (an `org.osbuild.files`
 * input: files named by checksum): what the Debian stages install from,
 * without network. The Packages index is written from each .deb's control
 * fields (`dpkg-deb --field`), with the archive's priority from the pin
 * metadata where given, so mmdebstrap's variants select as on the mirror.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { field, formatStanza, parseDeb822, setField } from './deb822.js';
import { METADATA } from './metadata.js';

export interface RepoPackage {
  name: string;
  version: string;
  architecture: string;
  essential: boolean;
  /** The input's name for the file (`sha256:<hex>`). */
  checksum: string;
}

export interface LocalRepo {
  dir: string;
  packages: RepoPackage[];
  /** One-line sources entry for apt or mmdebstrap. */
  sourcesLine: string;
}

export interface LocalRepoOptions {
  /** The input directory (`inputs.<name>.path`). */
  inputDir: string;
  /** `inputs.<name>.data.files`: checksum → metadata. Without it, every file in the directory. */
  files?: Record<string, Record<string, unknown>>;
  /** An empty directory to build the repository in. */
  dir: string;
  /** Written into the Release file as Suite and Codename (mmdebstrap selects essential packages by it). */
  suite: string;
}

function controlFields(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('dpkg-deb', ['--field', file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`dpkg-deb --field ${file}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function makeLocalRepo(options: LocalRepoOptions): Promise<LocalRepo> {
  const { inputDir, dir, suite } = options;
  const checksums = options.files ? Object.keys(options.files) : readdirSync(inputDir).filter((f) => !f.startsWith('.')).sort();
  if (checksums.length === 0) throw new Error(`input ${inputDir} holds no files`);
  mkdirSync(dir, { recursive: true });
  const entries = await mapLimited(checksums, Math.max(4, availableParallelism() * 2), async (checksum) => {
    const file = join(inputDir, checksum);
    const [algo, hex] = checksum.includes(':') ? checksum.split(':', 2) : ['', checksum];
    const [text, sha256] = await Promise.all([controlFields(file), algo === 'sha256' && hex ? hex : sha256File(file)]);
    const stanza = parseDeb822(text)[0];
    if (!stanza || !field(stanza, 'Package')) throw new Error(`${checksum}: not a Debian package (no control fields)`);
    const priority = options.files?.[checksum]?.[METADATA.priority];
    if (typeof priority === 'string') setField(stanza, 'Priority', priority);
    const name = `${sha256}.deb`;
    symlinkSync(file, join(dir, name));
    stanza.set('Filename', `./${name}`);
    stanza.set('Size', String(statSync(file).size));
    stanza.set('SHA256', sha256);
    const pkg: RepoPackage = {
      name: field(stanza, 'Package')!.trim(),
      version: field(stanza, 'Version')?.trim() ?? '',
      architecture: field(stanza, 'Architecture')?.trim() ?? '',
      essential: field(stanza, 'Essential')?.trim() === 'yes',
      checksum,
    };
    return { pkg, text: formatStanza(stanza) };
  });
  const index = entries.map((e) => e.text).join('\n');
  writeFileSync(join(dir, 'Packages'), index);
  const release = [
    `Suite: ${suite}`,
    `Codename: ${suite}`,
    // A fixed date: apt wants one, and the index must not change between builds.
    'Date: Thu, 01 Jan 1970 00:00:00 UTC',
    'SHA256:',
    ` ${createHash('sha256').update(index).digest('hex')} ${Buffer.byteLength(index)} Packages`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'Release'), release);
  return { dir, packages: entries.map((e) => e.pkg), sourcesLine: `deb [trusted=yes] copy://${dir} ./` };
}
