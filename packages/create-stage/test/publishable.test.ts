// Every package of the repository can be published as it is: the fields npm
// and our plugin discovery read are there, and a plugin's schema and entry
// are in what `files` ships. The scaffolder's template follows the same rules.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stageFiles } from '../src/templates.js';

const packagesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs = readdirSync(packagesDir).filter((d) => existsSync(path.join(packagesDir, d, 'package.json')));

type Pkg = Record<string, any>;

function problems(pkg: Pkg, dir?: string): string[] {
  const found: string[] = [];
  if (pkg.private) found.push('is private');
  if (pkg.type !== 'module') found.push('"type" is not "module"');
  if (pkg.exports?.['./package.json'] !== './package.json') found.push('"exports" does not list "./package.json"');
  if (pkg.exports?.['.'] && (pkg.types === undefined || Object.keys(pkg.exports['.'])[0] !== 'types')) found.push('"." export without "types" (first, and top-level)');
  if (!Array.isArray(pkg.files) || pkg.files.length === 0) found.push('no "files"');
  if (!/^>=\d+/.test(pkg.engines?.node ?? '')) found.push('no "engines.node"');
  if (!pkg.license) found.push('no "license"');
  if (dir !== undefined) {
    if (pkg.publishConfig?.access !== 'public') found.push('"publishConfig.access" is not "public"');
    if (pkg.repository?.directory !== `packages/${dir}`) found.push(`"repository.directory" is not packages/${dir}`);
    if (!existsSync(path.join(packagesDir, dir, 'README.md'))) found.push('no README.md');
  }
  const shipped = (file: string) => (pkg.files as string[]).some((f) => file.replace(/^\.\//, '') === f || file.replace(/^\.\//, '').startsWith(`${f.replace(/\/$/, '')}/`));
  if (pkg.osbuild) {
    if (!shipped(pkg.osbuild.schema)) found.push(`"files" does not ship the schema ${pkg.osbuild.schema}`);
    if (!shipped(pkg.osbuild.entry)) found.push(`"files" does not ship the entry ${pkg.osbuild.entry}`);
  }
  for (const bin of Object.values<string>(typeof pkg.bin === 'string' ? { x: pkg.bin } : (pkg.bin ?? {}))) {
    if (!shipped(bin)) found.push(`"files" does not ship the bin ${bin}`);
  }
  return found;
}

describe('package.json of every package', () => {
  it.each(dirs)('%s is publishable', (dir) => {
    const pkg = JSON.parse(readFileSync(path.join(packagesDir, dir, 'package.json'), 'utf8')) as Pkg;
    expect(problems(pkg, dir)).toEqual([]);
  });

  it('of a scaffolded stage is publishable too', () => {
    const files = stageFiles({ moduleName: 'org.example.hello', packageName: 'osbuild-stage-example-hello', versions: { pluginKit: '^1.0.0', core: '^1.0.0', ajv: '^8', tsx: '^4', vitest: '^4' } });
    expect(problems(JSON.parse(files['package.json']!))).toEqual([]);
  });
});
