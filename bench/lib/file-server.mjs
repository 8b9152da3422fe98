// The download benches' file server: files of deterministic content held in
// memory and served over http on 127.0.0.1 from a process of its own, so that
// serving them costs the measured process nothing.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';

/** `size` bytes that depend only on `seed`: the same in the server and in the bench. */
export function benchContent(seed, size) {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < size; off += block.length) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/**
 * Starts the server process for `files` ([{path, seed, size}], each path
 * `/…`); resolves to {port, url, stop()}.
 */
export async function startFileServer(files) {
  const child = fork(import.meta.filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send(files);
  const port = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bench file server exited with status ${code}`)));
  });
  return { port, url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

if (process.argv[2] === '--serve') {
  process.once('message', (files) => {
    const bodies = new Map(files.map(({ path, seed, size }) => [path, benchContent(seed, size)]));
    const server = http.createServer((req, res) => {
      const body = bodies.get(req.url);
      if (!body) return res.writeHead(404).end();
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => process.send(server.address().port));
  });
  // The bench went away without stopping the server.
  process.on('disconnect', () => process.exit());
}
