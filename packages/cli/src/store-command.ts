import { resolve } from 'node:path';
import type { Io } from './main.js';
import { needsNamespace, reexecInNamespace } from './rootless/index.js';
import { storeRemove } from './rootless/store-remove.js';

const USAGE = 'usage: osbuild store verify [--repair] [--store DIRECTORY] [--json]\n       osbuild store remove [--store DIRECTORY]\n';

/**
 * `osbuild store verify [--repair]`: reads every object's files against the
 * digests recorded at its commit. Exit 0 when every object is intact (or,
 * with --repair, when everything that was not has been dropped or
 * re-sealed), 1 otherwise.
 */
export async function storeCommand(argv: readonly string[], io: Io): Promise<number> {
  // Not root: the store's files belong to the user's subordinate ids too; read and delete them from the build's user namespace.
  if (needsNamespace() && (argv[0] === 'verify' || argv[0] === 'remove')) return reexecInNamespace(['store', ...argv]);
  if (argv[0] === 'remove') return storeRemove(argv.slice(1), io);
  if (argv[0] !== 'verify') {
    io.stderr(`${USAGE}osbuild: error: unknown store command ${argv[0] === undefined ? '(none)' : `'${argv[0]}'`}\n`);
    return 2;
  }
  let store = '.osbuild';
  let repair = false;
  let json = false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--repair') repair = true;
    else if (arg === '--json') json = true;
    else if ((arg === '--store' || arg === '--cache') && argv[i + 1] !== undefined) store = argv[++i]!;
    else if (arg.startsWith('--store=')) store = arg.slice('--store='.length);
    else {
      io.stderr(`${USAGE}osbuild: error: unexpected argument '${arg}'\n`);
      return 2;
    }
  }
  const { verifyStore } = await import('@osbuild-ts/engine');
  const reports = await verifyStore(resolve(io.cwd, store), { repair });
  const bad = reports.filter((r) => r.status !== 'ok');
  const unrepaired = bad.filter((r) => !r.repaired);
  if (json) {
    io.stdout(`${JSON.stringify({ store: resolve(io.cwd, store), objects: reports.length, problems: bad.map((r) => ({ key: r.key, id: r.id, status: r.status, problems: [...r.problems], repaired: r.repaired })) })}\n`);
  } else {
    for (const r of bad) {
      const action = r.repaired ? (r.status === 'resealed' ? ' (re-sealed)' : ' (dropped: rebuilt by the next build that needs it)') : '';
      io.stdout(`${r.status}: object ${r.key}${r.id === null ? '' : ` (stage id ${r.id})`}${action}\n`);
      for (const problem of r.problems) io.stdout(`    ${problem}\n`);
    }
    io.stdout(`${reports.length} objects checked: ${reports.length - bad.length} intact, ${bad.length} with problems${repair ? `, ${bad.length - unrepaired.length} repaired` : ''}\n`);
  }
  return unrepaired.length === 0 ? 0 : 1;
}
