// Child-process tests run the built package (as the engine will): build it
// once, and fail the run if any mount made during it is left behind.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const mountPoints = () =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    // Only our own scratch dirs: other work on the machine may mount meanwhile.
    .filter((point) => point?.startsWith('/tmp/osbuild-ts-store-'))
    .sort();

export default function setup() {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: packageDir, stdio: 'inherit' });
  const before = mountPoints();
  return () => {
    const left = mountPoints().filter((point) => !before.includes(point));
    if (left.length > 0) throw new Error(`mounts left behind by the store tests: ${left.join(', ')}`);
  };
}
