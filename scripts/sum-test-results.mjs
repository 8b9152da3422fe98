// Sums vitest's JSON reports across packages into the closing line CI reads:
// "N passed, N failed, N skipped". A report that says the run did not succeed
// (an unhandled error, no test files, a suite that failed to load) counts as
// a failure even when no single test failed; a package with tests but no
// report counts as one; a failed typecheck (TYPECHECK_STATUS) counts as one.
// Skipped tests are listed by name, so a machine that lacks something shows.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..');
const dirs = [...readdirSync(join(repo, 'packages')).map((name) => join('packages', name)), 'samples'];
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];
const skippedNames = [];
for (const name of dirs) {
  const dir = join(repo, name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  const report = join(dir, 'test-results.json');
  if (!existsSync(report)) {
    problems.push(`${name}: no test report (the suite did not run to the end)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  const brokenSuites = r.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.every((a) => a.status !== 'failed'));
  for (const suite of brokenSuites) problems.push(`${name}: ${suite.name.replace(`${repo}/`, '')} failed to run: ${firstLine(suite.message)}`);
  failed += brokenSuites.length;
  if (r.success === false && r.numFailedTests === 0 && brokenSuites.length === 0) {
    problems.push(`${name}: vitest reported the run as unsuccessful (an unhandled error, or no test files)`);
    failed += 1;
  }
  for (const suite of r.testResults) {
    for (const a of suite.assertionResults) {
      if (a.status === 'skipped' || a.status === 'pending' || a.status === 'todo') skippedNames.push(`${name}: ${a.fullName}`);
    }
  }
}
if (process.env.TYPECHECK_STATUS && process.env.TYPECHECK_STATUS !== '0') {
  problems.push('typecheck: `turbo run typecheck` failed (see its errors above)');
  failed += 1;
}
function firstLine(text) {
  return String(text ?? '').split('\n').find((line) => line.trim() !== '') ?? 'no message';
}
if (skippedNames.length) console.log(`skipped:\n${skippedNames.map((s) => `  ${s}`).join('\n')}`);
if (problems.length) console.log(`failures outside single tests:\n${problems.map((s) => `  ${s}`).join('\n')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
