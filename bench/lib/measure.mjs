// Timing for the benches that compare ways of doing one job in one run:
// medians over rounds, the first round a warm-up.

/** Seconds `fn` took. */
export async function time(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
export const rate = (bytes, s) => `${(bytes / s / 2 ** 20).toFixed(0)} MiB/s`;

/**
 * Runs every way once per round, `rounds` rounds after a warm-up round 0 (page
 * cache, server, Node's compile cache) that is not counted. With `rotate` the
 * order turns each round, so that none always runs right after another. A way
 * returns its seconds, or {name: seconds} for several figures.
 * Returns {name: [seconds per round]}.
 */
export async function measure(ways, rounds, { rotate = false } = {}) {
  const names = Object.keys(ways);
  const runs = {};
  for (let round = 0; round <= rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[rotate ? (round + k) % names.length : k];
      const result = await ways[name]();
      if (round === 0) continue;
      for (const [figure, seconds] of Object.entries(typeof result === 'number' ? { [name]: result } : result)) (runs[figure] ??= []).push(seconds);
    }
  }
  return runs;
}
