// A release rehearsal, as CI runs it: on a throwaway copy of the repository,
// `changeset version` applies the pending changesets, then
// `pnpm -r publish --dry-run` goes through publishing every package, and
// `pnpm -r pack` shows what would be uploaded: no `workspace:` range left,
// internal dependencies at their new versions. Needs the packages built.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const work = mkdtempSync(path.join(tmpdir(), 'osbuild-ts-release-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a release dry-run', () => {
  it('versions from the changesets, publishes (dry) and packs every package without workspace: ranges', async () => {
    const copy = path.join(work, 'repo');
    await run('sh', ['-c', `mkdir -p '${copy}' && tar -c --exclude=node_modules --exclude=.git --exclude=.turbo --exclude=.osbuild --exclude=output --exclude=packs . | tar -x -C '${copy}'`], { cwd: repoRoot });
    const pending = readdirSync(path.join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    const changeset = path.join(repoRoot, 'node_modules', '@changesets', 'cli', 'bin.js');
    await run(process.execPath, [changeset, 'version'], { cwd: copy });
    if (pending.length > 0) expect(readdirSync(path.join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')).toEqual([]);

    await run('pnpm', ['-r', 'publish', '--dry-run', '--no-git-checks'], { cwd: copy, maxBuffer: 64 * 1024 * 1024 });

    const packs = path.join(work, 'packs');
    await run('pnpm', ['-r', 'pack', '--pack-destination', packs], { cwd: copy, maxBuffer: 64 * 1024 * 1024 });
    const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
    const packages = readdirSync(path.join(copy, 'packages')).length;
    const versions = new Map<string, string>();
    const manifests = (
      await Promise.all(tarballs.map(async (t) => JSON.parse((await run('tar', ['xzf', path.join(packs, t), '-O', 'package/package.json'], { maxBuffer: 1 << 24 })).stdout)))
    ).filter((m) => !m.private); // samples/ is a private workspace package
    expect(manifests.length).toBe(packages);
    for (const m of manifests) versions.set(m.name, m.version);
    for (const m of manifests) {
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [name, range] of Object.entries<string>(m[field] ?? {})) {
          expect(range, `${m.name} ${field}.${name}`).not.toMatch(/^workspace:/);
          if (versions.has(name) && field !== 'devDependencies') expect(range, `${m.name} → ${name}`).toContain(versions.get(name)!.split('.')[0]!);
        }
      }
    }
    expect(JSON.parse(readFileSync(path.join(copy, 'packages', 'create-stage', 'package.json'), 'utf8')).version).not.toBe('0.1.0');
  }, 300_000);
});
