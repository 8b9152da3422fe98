// samples/third-party as its README says, in a temporary copy outside the
// workspace: pack our packages, npm install (not pnpm), list, build.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './run.js';
// @ts-expect-error: a plain .mjs script without types
import { packPackages } from '../../scripts/pack-packages.mjs';

const exec = promisify(execFile);
const quiet = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

describe('samples/third-party', () => {
  const work = mkdtempSync(join(tmpdir(), 'sample-third-party-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const project = join(work, 'third-party');

  it('installs packed stages and a third-party stage with npm, and builds its manifest naming package@version per stage', async () => {
    expect(relative(REPO, work).startsWith('..')).toBe(true);
    cpSync(join(REPO, 'samples', 'third-party'), project, { recursive: true, filter: (src) => !/\/(node_modules|packs|output|\.osbuild)(\/|$)/.test(src) });
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    const wanted = /node \.\.\/\.\.\/scripts\/pack-packages\.mjs --stable-names packs (.*)$/.exec(pkg.scripts['pack-osbuild-ts'])![1]!.split(' ');
    packPackages(join(project, 'packs'), wanted, { stableNames: true });
    await exec('npm', ['install'], { cwd: project, env: quiet });

    const osbuild = join(project, 'node_modules', '.bin', 'osbuild');
    const stages = await exec(osbuild, ['stages'], { cwd: project });
    expect(stages.stdout).toMatch(/stage\s+org\.acme\.motd\s+@acme\/osbuild-stage-motd@1\.2\.0\s+main\.js\s+stages\/motd/);

    const build = await exec(osbuild, ['--store', join(work, 'store'), '--export', 'tree', '--output-directory', join(work, 'out'), '--json', 'manifest.json'], { cwd: project });
    const doc = JSON.parse(build.stdout);
    expect(doc.success).toBe(true);
    expect(doc['osbuild-ts'].stages.map((s: { type: string; plugin: string }) => [s.type, s.plugin])).toEqual([
      ['org.osbuild.mkdir', expect.stringMatching(/^@osbuild-ts\/stage-mkdir@\d+\.\d+\.\d+$/)],
      ['org.osbuild.hostname', expect.stringMatching(/^@osbuild-ts\/stage-hostname@\d+\.\d+\.\d+$/)],
      ['org.acme.motd', '@acme/osbuild-stage-motd@1.2.0'],
    ]);
    expect(doc.metadata.tree['org.acme.motd']).toEqual({ lines: 2 });
    expect(readFileSync(join(work, 'out', 'tree', 'etc', 'motd'), 'utf8')).toBe('Built with a third-party stage.\n-- acme\n');
    expect(readFileSync(join(work, 'out', 'tree', 'etc', 'hostname'), 'utf8')).toBe('third-party\n');
  }, 300_000);
});
