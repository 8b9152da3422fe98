import { readdirSync, readFileSync } from 'node:fs';

const O_CLOEXEC = 0o2000000;

/**
 * Descriptors of this process (above `above`) that lack close-on-exec and so
 * leak into every child: bubblewrap passes them on into the sandbox. Whoever
 * started us may have left some open (a CI runner's pipe, a supervisor's
 * socket); the runner closes these numbers before stage code runs. Read
 * synchronously so the list matches the descriptor table at spawn time.
 *
 * Only the first call looks at every descriptor. Node opens all of its own
 * with close-on-exec, so none can join the leaked ones later; later calls
 * check again only those the first one found (a build holds a lock
 * descriptor per layer, and reading each one's fdinfo for every stage made
 * a build's cost grow with the square of its stages).
 */
export function inheritableFds(above = 4): number[] {
  const first = (scanned ??= new Map()).get(above);
  if (first !== undefined) return first.filter(isInheritable);
  let names: string[];
  try {
    names = readdirSync('/proc/self/fdinfo');
  } catch {
    return [];
  }
  const fds = names
    .map(Number)
    .filter((fd) => Number.isInteger(fd) && fd > above && isInheritable(fd))
    .sort((a, b) => a - b);
  scanned.set(above, fds);
  return fds;
}

let scanned: Map<number, number[]> | undefined;

function isInheritable(fd: number): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return flags !== null && (parseInt(flags[1] as string, 8) & O_CLOEXEC) === 0;
  } catch {
    return false; // closed (the readdir descriptor itself, or a racing close)
  }
}
