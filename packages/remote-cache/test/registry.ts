/**
 * A real CNCF distribution registry (Debian's docker-registry) for the
 * tests: our own instance on 127.0.0.1, a free port, its own config file and
 * storage directory, stopped by its pid.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRegistry {
  readonly url: string;
  readonly port: number;
  /** The storage root (docker/registry/v2/… below it). */
  readonly storage: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export function registryBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v docker-registry'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('docker-registry is not installed: the remote cache tests need a real registry (apt-get install docker-registry; scripts/bootstrap installs it)');
  }
}

export interface RegistryOptions {
  /** Extra YAML under `http:` (e.g. tls) and a top-level `auth:` block. */
  http?: string;
  auth?: string;
  scheme?: 'http' | 'https';
}

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const bin = registryBinary();
  const dir = mkdtempSync(join(tmpdir(), 'osbuild-registry-'));
  const storage = join(dir, 'data');
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      ...(options.http === undefined ? [] : [options.http]),
      ...(options.auth === undefined ? [] : [options.auth]),
      '',
    ].join('\n'),
  );
  let log = '';
  const child: ChildProcess = spawn(bin, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const scheme = options.scheme ?? 'http';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited at start: ${log}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not listen on ${port}: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    storage,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      // Its blobs: hundreds of MB after the tree tests.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

