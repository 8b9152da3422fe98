// `osbuild --inspect` of a 40-stage manifest vs a bare `node -e 0`, same run.
// Goal (issue 3: ≤ 1.5×; issue 19: ≤ 1.3×): inspect against bare Node start-up.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hyperfine, ms } from './hyperfine.mjs';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'bench-inspect-'));
const manifest = join(dir, 'mkdir-40.json');
const stages = Array.from({ length: 40 }, (_, i) => ({
  type: i % 2 ? 'org.osbuild.noop' : 'org.osbuild.mkdir',
  options: i % 2 ? { step: i } : { paths: [{ path: `/d${i}`, mode: 493 }] },
}));
writeFileSync(manifest, JSON.stringify({ version: '2', pipelines: [{ name: 'tree', stages }] }));

// The bin itself, so its `#!` line's Node flags apply as they do to users' `osbuild`.
const osbuild = join(root, 'packages', 'cli', 'bin', 'osbuild.js');
const t = hyperfine({
  'node -e 0': `${process.execPath} -e 0`,
  'osbuild --inspect (40 stages)': `${osbuild} --libdir ${root} --inspect ${manifest}`,
});
const base = t['node -e 0'].mean;
const inspect = t['osbuild --inspect (40 stages)'].mean;
console.log(`node -e 0:                      ${ms(base)}`);
console.log(`osbuild --inspect (40 stages):  ${ms(inspect)}  = ${(inspect / base).toFixed(2)}× node start (goal ≤ 1.3×)`);
