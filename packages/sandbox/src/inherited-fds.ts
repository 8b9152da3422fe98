import { readdirSync, readFileSync } from 'node:fs';

const O_CLOEXEC = 0o2000000;

/**
 * Descriptors of this process (above `above`) that lack close-on-exec and so
 * leak into every child: bubblewrap passes them on into the sandbox. Whoever
 * started us may have left some open (a CI runner's pipe, a supervisor's
 * socket); the runner closes these numbers before stage code runs. Read
 * synchronously so the list matches the descriptor table at spawn time.
 */
export function inheritableFds(above = 4): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc/self/fdinfo');
  } catch {
    return [];
  }
  const fds: number[] = [];
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= above) continue;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${name}`, 'utf8'));
      if (flags && (parseInt(flags[1] as string, 8) & O_CLOEXEC) === 0) fds.push(fd);
    } catch {
      // closed while we looked (the readdir descriptor itself, or a racing close)
    }
  }
  return fds.sort((a, b) => a - b);
}
