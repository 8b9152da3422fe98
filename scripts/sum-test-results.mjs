// Sums vitest's JSON reports across packages into the closing line CI reads.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..');
// Every workspace project with tests: the packages and the samples.
const dirs = [...readdirSync(join(repo, 'packages')).map((name) => join('packages', name)), 'samples'];
let passed = 0;
let failed = 0;
let missing = [];
for (const name of dirs) {
  const dir = join(repo, name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  const report = join(dir, 'test-results.json');
  if (!existsSync(report)) {
    missing.push(name);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  // A suite that failed to load has no failed tests but must still count.
  failed += r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
}
if (missing.length) {
  console.log(`no test report from: ${missing.join(', ')}`);
  failed += missing.length;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
