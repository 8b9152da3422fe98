// `osbuild --inspect` in a project with 80 installed plugins vs one with 1,
// same manifest (mkdir stages only), same run. Real package layouts: the
// first-party stage-mkdir linked as pnpm links it, plus 79 third-party-style
// packages (their own package.json, schema.json, entry), half of them scoped.
// Goal (issue 18): 80 plugins ≤ 1.2× one plugin, with the discovery index
// warm (the normal case: nothing installed since the last run). The cold
// case (index removed before each run: a fresh install) is reported too.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hyperfine, ms } from './hyperfine.mjs';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'bench-plugins-'));
const mkdirPackage = realpathSync(join(root, 'node_modules', '@osbuild-ts', 'stage-mkdir'));

function project(name, extra) {
  const nodeModules = join(dir, name, 'node_modules');
  mkdirSync(join(nodeModules, '@osbuild-ts'), { recursive: true });
  symlinkSync(mkdirPackage, join(nodeModules, '@osbuild-ts', 'stage-mkdir'));
  for (let i = 0; i < extra; i++) {
    const scoped = i % 2 === 0;
    const pkgName = scoped ? `@vendor${i % 5}/osbuild-stage-tool${i}` : `osbuild-stage-tool${i}`;
    const pkgDir = join(nodeModules, pkgName);
    mkdirSync(join(pkgDir, 'dist'), { recursive: true });
    writeFileSync(
      join(pkgDir, 'package.json'),
      JSON.stringify({
        name: pkgName,
        version: '1.0.0',
        type: 'module',
        files: ['dist', 'schema.json'],
        osbuild: { apiVersion: 1, kind: i % 10 === 9 ? 'source' : 'stage', name: `org.vendor${i % 5}.tool${i}`, schema: './schema.json', entry: './dist/main.js' },
        dependencies: { '@osbuild-ts/plugin-kit': '^0.1.0' },
      }),
    );
    writeFileSync(join(pkgDir, 'schema.json'), JSON.stringify({ type: 'object', additionalProperties: false, properties: { path: { type: 'string' } } }));
    writeFileSync(join(pkgDir, 'dist', 'main.js'), 'process.exit(0);\n');
  }
  // Packages without an osbuild field too, as any real project has.
  for (let i = 0; i < 40; i++) {
    mkdirSync(join(nodeModules, `lib${i}`));
    writeFileSync(join(nodeModules, `lib${i}`, 'package.json'), JSON.stringify({ name: `lib${i}`, version: '1.0.0' }));
  }
  return join(dir, name);
}

const one = project('one', 0);
const eighty = project('eighty', 79);
const manifest = join(dir, 'manifest.json');
const stages = Array.from({ length: 10 }, (_, i) => ({ type: 'org.osbuild.mkdir', options: { paths: [{ path: `/d${i}` }] } }));
writeFileSync(manifest, JSON.stringify({ version: '2', pipelines: [{ name: 'tree', stages }] }));

const osbuild = `${process.execPath} ${join(root, 'packages', 'cli', 'bin', 'osbuild.js')}`;
const warm = hyperfine({
  '1 plugin': `${osbuild} --libdir ${one} --inspect ${manifest}`,
  '80 plugins': `${osbuild} --libdir ${eighty} --inspect ${manifest}`,
});
const cacheOf = (p) => join(p, 'node_modules', '.cache');
const cold = hyperfine(
  {
    '1 plugin, cold': `sh -c "rm -rf ${cacheOf(one)} && ${osbuild} --libdir ${one} --inspect ${manifest} >/dev/null"`,
    '80 plugins, cold': `sh -c "rm -rf ${cacheOf(eighty)} && ${osbuild} --libdir ${eighty} --inspect ${manifest} >/dev/null"`,
  },
  { runs: 10, warmup: 1 },
);
const ratio = (a, b) => `${(a.mean / b.mean).toFixed(2)}×`;
console.log(`osbuild --inspect, 1 plugin:            ${ms(warm['1 plugin'].mean)}`);
console.log(`osbuild --inspect, 80 plugins:          ${ms(warm['80 plugins'].mean)}  = ${ratio(warm['80 plugins'], warm['1 plugin'])} (goal ≤ 1.2×)`);
console.log(`cold index (fresh install), 1 plugin:   ${ms(cold['1 plugin, cold'].mean)}`);
console.log(`cold index (fresh install), 80 plugins: ${ms(cold['80 plugins, cold'].mean)}  = ${ratio(cold['80 plugins, cold'], cold['1 plugin, cold'])}`);
