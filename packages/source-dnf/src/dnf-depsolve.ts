/**
 * Runs the host's dnf (its Python API, `libexec/depsolve.py`) on local
 * copies of the repositories: a private, empty install root, no host
 * configuration, no host repositories, no network.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';
import type { Nevra } from './nevra.js';

export interface DnfRequest {
  root: string;
  cachedir: string;
  releasever: string;
  arch: string;
  repositories: { id: string; baseurl: string }[];
  packages: string[];
  exclude: string[];
  installWeakDeps: boolean;
}

export interface DnfPackage extends Nevra {
  repo: string;
  /** Relative to the repository base (`location href`). */
  location: string;
  /** `location xml:base`, when the package lives elsewhere. */
  base: string | null;
  /** `<algo>:<hex>` from the metadata, null when it has none. */
  checksum: string | null;
  size: number;
}

const SCRIPT = join(import.meta.dirname, '..', 'libexec', 'depsolve.py');
const DNF = '/usr/bin/dnf';

/** The interpreter dnf itself runs with (its `#!` line): the one that has the `dnf` module. */
export function dnfPython(env: NodeJS.ProcessEnv = process.env): string {
  if (env['OSBUILD_DEPSOLVE_PYTHON']) return env['OSBUILD_DEPSOLVE_PYTHON'];
  let firstLine: string;
  try {
    firstLine = readFileSync(DNF, 'utf8').split('\n', 1)[0]!;
  } catch {
    throw new OsbuildError('E_TOOL_MISSING', `osbuild-depsolve-dnf needs dnf, and ${DNF} is not there`, {
      hint: 'Install dnf and its Python bindings (Debian: apt-get install dnf python3-dnf).',
      details: { tool: 'dnf', packages: ['dnf', 'python3-dnf'] },
    });
  }
  const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
  if (match === null) return '/usr/bin/python3';
  // `#!/usr/bin/env python3` names the interpreter in the second word.
  return match[1]!.endsWith('/env') && match[2] ? match[2] : match[1]!;
}

export async function runDnfDepsolve(request: DnfRequest, log?: (line: string) => void): Promise<DnfPackage[]> {
  const python = dnfPython();
  const input = JSON.stringify({
    root: request.root,
    cachedir: request.cachedir,
    releasever: request.releasever,
    arch: request.arch,
    repositories: request.repositories,
    packages: request.packages,
    exclude: request.exclude,
    install_weak_deps: request.installWeakDeps,
  });
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(python, ['-I', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', (error) =>
      reject(new OsbuildError('E_TOOL_MISSING', `cannot run ${python} for dnf: ${error.message}`, { hint: 'Install dnf and its Python bindings (Debian: apt-get install dnf python3-dnf).' })),
    );
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    child.stdin.end(input);
  });
  for (const line of stderr.split('\n')) if (line.trim() !== '' && code === 0) log?.(`dnf: ${line}`);
  let result: { packages?: DnfPackage[]; error?: { kind: string; message: string; names?: string[] } };
  try {
    result = JSON.parse(stdout);
  } catch {
    const module = /No module named '?(dnf|hawkey|libdnf)/.exec(stderr);
    if (module) {
      throw new OsbuildError('E_TOOL_MISSING', `${python} has no ${module[1]} module`, { hint: 'Install dnf and its Python bindings (Debian: apt-get install dnf python3-dnf), or set OSBUILD_DEPSOLVE_PYTHON.' });
    }
    throw new OsbuildError('E_INTERNAL', `dnf failed (exit status ${code}): ${stderr.trim().split('\n').slice(-5).join('\n') || 'no output'}`);
  }
  if (result.error?.kind === 'unknown-packages') {
    throw new OsbuildError('E_USAGE', `no package matches ${result.error.names!.join(', ')}`, {
      hint: 'Check the names against the repositories (dnf repoquery), or fix the description.',
      details: { unknown: result.error.names },
    });
  }
  if (result.error !== undefined) {
    const what = result.error.kind === 'depsolve' ? `dnf cannot resolve ${request.packages.join(' ')}` : 'dnf cannot read the repositories';
    throw new OsbuildError(result.error.kind === 'depsolve' ? 'E_USAGE' : 'E_SOURCE_FETCH', `${what}: ${result.error.message.trim()}`, { details: { dnf: result.error } });
  }
  return result.packages ?? [];
}
