/**
 * The program the sandboxed Node starts with (bound read-only at
 * SANDBOX_PATHS.runner). It is kept as a string and written into each build's
 * tmpfs so that it works the same from src/ (tests) and dist/ (published),
 * with no copy step.
 *
 * Protocol on fd 3 (a socket pair to the host):
 *   runner → host: "ready <CapEff>\n" once Node is up (the host checks the
 *                  capability set bwrap really applied);
 *   host → runner: one JSON line {"env": {...}} meaning "your tree is mounted, go".
 * The runner then closes fd 3 (the stage gets no channel to the host), sets
 * the extra environment, makes process.argv look like `node <entry>` and
 * imports the entry. EOF before "go" means the runner was not needed: exit 0.
 *
 * argv: <entry> [<fd to close>...]: descriptors the host process had open
 * without close-on-exec; bubblewrap passes them through, so they are closed
 * here before any stage code runs. Node's own descriptors cannot collide with
 * them: those numbers were already taken when Node started.
 */
export const RUNNER_SOURCE = `import { closeSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';

const [entry, ...inherited] = process.argv.slice(2);
for (const fd of inherited) {
  try { closeSync(Number(fd)); } catch {}
}

const control = new Socket({ fd: 3, readable: true, writable: true });
control.setEncoding('utf8');
let buffered = '';
let started = false;
control.on('data', (chunk) => {
  buffered += chunk;
  const newline = buffered.indexOf('\\n');
  if (started || newline === -1) return;
  started = true;
  const message = JSON.parse(buffered.slice(0, newline));
  control.destroy();
  run(message);
});
const abandon = () => { if (!started) process.exit(0); };
control.on('end', abandon);
control.on('error', abandon);
const capEff = /^CapEff:\\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '?';
control.write('ready ' + capEff + '\\n');

function run(message) {
  Object.assign(process.env, message.env ?? {});
  process.argv.splice(1, process.argv.length - 1, entry);
  import(pathToFileURL(entry).href).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
`;
