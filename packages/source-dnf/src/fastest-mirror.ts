/**
 * librepo's `fastestmirror`: order a repository's mirrors by how long a TCP
 * connection to each takes, measured all at once; hosts that do not answer
 * within the timeout go last, in their original order. Local (`file://`)
 * mirrors cost nothing and stay first.
 */
import net from 'node:net';

export async function sortByConnectTime(bases: readonly string[], timeoutMs: number): Promise<string[]> {
  const timed = await Promise.all(
    bases.map(async (base, index) => ({ base, index, ms: await connectTime(base, timeoutMs) })),
  );
  return timed.sort((a, b) => a.ms - b.ms || a.index - b.index).map((t) => t.base);
}

/** Milliseconds to connect to the URL's host and port; Infinity when it does not answer in time. */
function connectTime(url: string, timeoutMs: number): Promise<number> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve(Infinity);
  }
  if (parsed.protocol === 'file:') return Promise.resolve(0);
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const socket = net.connect({ host, port });
    const done = (ms: number) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ms);
    };
    const timer = setTimeout(() => done(Infinity), timeoutMs);
    socket.once('connect', () => done(Number(process.hrtime.bigint() - start) / 1e6));
    socket.once('error', () => done(Infinity));
  });
}
