import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { OsbuildError } from './errors.js';
import { mustRun } from './exec.js';
import { SANDBOX_PATHS, type Bind } from './types.js';

/** How to start the host's Node inside a sandbox: the binds it needs and the argv prefix. */
export interface NodeLaunch {
  binds: Bind[];
  argv: string[];
}

const memo = new Map<string, Promise<NodeLaunch>>();

/**
 * Stages run on the host's Node, never on whatever the build root ships (it
 * usually ships none). With the host's /usr in the sandbox a Node under /usr
 * is already there. Otherwise we bind the binary and the exact shared
 * libraries it was linked against, and start it through the bound dynamic
 * loader with `--library-path`, so nothing from the build root's libc is
 * mixed in. (Caveat: `process.execPath` is then the loader.)
 */
export function nodeLaunch(root: string | null, execPath: string = process.execPath): Promise<NodeLaunch> {
  const key = `${root === null ? 'host' : 'root'}\0${execPath}`;
  let launch = memo.get(key);
  if (!launch) {
    launch = computeNodeLaunch(root, execPath);
    memo.set(key, launch);
    launch.catch(() => memo.delete(key));
  }
  return launch;
}

async function computeNodeLaunch(root: string | null, execPath: string): Promise<NodeLaunch> {
  const binary = await realpath(execPath);
  if (root === null && binary.startsWith('/usr/')) return { binds: [], argv: [binary] };

  const libs = parseLdd(await lddOutput(binary));
  const nodeBin = path.posix.join(SANDBOX_PATHS.nodeDir, 'bin', 'node');
  const libDir = path.posix.join(SANDBOX_PATHS.nodeDir, 'lib');
  const binds: Bind[] = [{ kind: 'ro', source: binary, dest: nodeBin }];
  if (libs.interpreter === null) return { binds, argv: [nodeBin] }; // statically linked

  for (const lib of libs.libraries) {
    binds.push({ kind: 'ro', source: await realpath(lib.path), dest: path.posix.join(libDir, lib.name) });
  }
  const loader = path.posix.join(libDir, path.posix.basename(libs.interpreter));
  binds.push({ kind: 'ro', source: await realpath(libs.interpreter), dest: loader });
  return { binds, argv: [loader, '--library-path', libDir, nodeBin] };
}

async function lddOutput(binary: string): Promise<string> {
  try {
    return await mustRun('ldd', [binary], 'finding the shared libraries of the Node binary');
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ENOENT') throw error;
    throw new OsbuildError('E_TOOL_MISSING', 'missing tool on the host: ldd (package libc-bin), needed to run Node in a build root', {
      hint: 'Install it on the host, e.g. apt-get install libc-bin.',
      details: { missing: [{ command: 'ldd', package: 'libc-bin' }], root: null },
    });
  }
}

export interface LddOutput {
  interpreter: string | null;
  libraries: { name: string; path: string }[];
}

/** Parse `ldd` output: `name => /path (addr)` lines and the loader's `/path (addr)` line. */
export function parseLdd(text: string): LddOutput {
  const out: LddOutput = { interpreter: null, libraries: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || /statically linked|not a dynamic executable/.test(line)) continue;
    const arrow = /^(\S+) => (\S+) \(0x[0-9a-f]+\)$/.exec(line);
    if (arrow) {
      out.libraries.push({ name: arrow[1] as string, path: arrow[2] as string });
      continue;
    }
    if (/ => not found$/.test(line)) {
      throw new OsbuildError('E_SANDBOX', `the Node binary needs a library the host lacks: ${line}`);
    }
    const plain = /^(\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
    if (plain) out.interpreter = plain[1] as string;
    // anything else (linux-vdso.so.1) has no file behind it
  }
  return out;
}
