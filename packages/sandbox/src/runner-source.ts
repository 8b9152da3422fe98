/**
 * The program the sandboxed Node starts with (bound read-only at
 * SANDBOX_PATHS.runner). It is kept as a string and written into each build's
 * tmpfs so that it works the same from src/ (tests) and dist/ (published),
 * with no copy step.
 *
 * Protocol on fd 3 (a socket pair to the host):
 *   runner → host: "ready <CapEff>\n" once Node is up (the host checks the
 *                  capability set bwrap really applied);
 *   host → runner: one JSON line {"env": {...}} meaning "your tree is in place, go".
 * Waiting is a blocking read: the runner has nothing else to do, and it keeps
 * node:net (and its start-up cost) out of every sandbox. After "go" the runner
 * closes fd 3 (the stage gets no channel to the host), sets the extra
 * environment, makes process.argv look like `node <entry>` and imports the
 * entry. EOF before "go" means the runner was not needed: exit 0.
 *
 * argv: <entry> [<fd to close>...]: descriptors the host process had open
 * without close-on-exec; bubblewrap passes them through, so they are closed
 * here before any stage code runs. Node's own descriptors cannot collide with
 * them: those numbers were already taken when Node started.
 */
export const RUNNER_SOURCE = `import { closeSync, readFileSync, readSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [entry, ...inherited] = process.argv.slice(2);
for (const fd of inherited) {
  try { closeSync(Number(fd)); } catch {}
}

const capEff = /^CapEff:\\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '?';
writeSync(3, 'ready ' + capEff + '\\n');

const chunk = Buffer.alloc(64 * 1024);
let received = '';
while (!received.includes('\\n')) {
  let n;
  try {
    n = readSync(3, chunk);
  } catch (error) {
    if (error.code !== 'EAGAIN') throw error;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    continue;
  }
  if (n === 0) process.exit(0);
  received += chunk.toString('utf8', 0, n);
}
closeSync(3);

const message = JSON.parse(received.slice(0, received.indexOf('\\n')));
Object.assign(process.env, message.env ?? {});
process.argv.splice(1, process.argv.length - 1, entry);
await import(pathToFileURL(entry).href);
`;
