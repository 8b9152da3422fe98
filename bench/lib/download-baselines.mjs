// What the download benches measure their plugin against, on the same files:
// curl fetching the URLs one after another (one process, one reused
// connection, no verification), and writing the same bytes from memory
// (into the page cache, as the downloads do) with and without fdatasync.
import { execFileSync } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { time } from './measure.mjs';

/** An empty `work/name` directory. */
export function freshDir(work, name) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The ways {curl, write, disk} for `urls[i]` whose bytes are `data[i]`; curl
 * writes `work/curl/f<i>`.
 */
export function downloadBaselines(work, urls, data) {
  const curlConfig = join(work, 'curl.config');
  writeFileSync(curlConfig, urls.map((url, i) => `url = "${url}"\noutput = "${join(work, 'curl', `f${i}`)}"\n`).join(''));
  return {
    curl: async () => {
      freshDir(work, 'curl');
      return time(async () => execFileSync('curl', ['--silent', '--fail', '--config', curlConfig]));
    },
    write: async () => {
      const dir = freshDir(work, 'write');
      return time(async () => {
        for (let i = 0; i < data.length; i++) writeFileSync(join(dir, `f${i}`), data[i]);
      });
    },
    disk: async () => {
      const dir = freshDir(work, 'disk');
      return time(async () => {
        for (let i = 0; i < data.length; i++) {
          const fd = openSync(join(dir, `f${i}`), 'w');
          writeSync(fd, data[i]);
          fdatasyncSync(fd);
          closeSync(fd);
        }
      });
    },
  };
}
