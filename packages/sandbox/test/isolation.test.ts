import { readlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inheritableFds } from '../src/inherited-fds.js';
import { runInSandbox } from '../src/run.js';
import { PROBE, mountLinesUnder, mountinfo, probeArgs, processesWith, reports, tempDir, uniqueSleep, type Action } from './helpers.js';

async function probe(actions: Action[], buildDir?: string) {
  const lines: string[] = [];
  const result = await runInSandbox({
    ...PROBE,
    tree: await tempDir(),
    arguments: probeArgs(actions),
    tempDir: buildDir ?? (await tempDir()),
    onOutput: (line) => lines.push(line),
  });
  expect(result.exitCode, lines.join('\n')).toBe(0);
  return reports(lines);
}

describe('a stage cannot', () => {
  it('reach a server listening on 127.0.0.1 of the host', async () => {
    let connections = 0;
    const server = http.createServer((_, res) => res.end('hello'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // The server is reachable from the host itself…
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(await response.text()).toBe('hello');
      expect(connections).toBe(1);
      // …but not from the sandbox: a fresh network namespace with a down loopback.
      const seen = await probe([{ do: 'connect', host: '127.0.0.1', port }, { do: 'ifaces' }]);
      expect(seen.connect).toMatchObject({ ok: false, code: expect.stringMatching(/^(ECONNREFUSED|ENETUNREACH)$/) });
      expect((seen.ifaces as string[]).filter((name) => name !== 'lo')).toEqual([]);
      expect(connections).toBe(1);
    } finally {
      server.close();
    }
  });

  it('write to /usr', async () => {
    const seen = await probe([{ do: 'write', paths: ['/usr/osbuild-test', '/usr/bin/osbuild-test', '/usr/lib/osbuild-test'] }]);
    expect(seen.write).toEqual({ '/usr/osbuild-test': 'EROFS', '/usr/bin/osbuild-test': 'EROFS', '/usr/lib/osbuild-test': 'EROFS' });
  });

  it('see host paths outside what was bound: the store, /root, /home, the project', async () => {
    const store = await tempDir();
    await mkdir(path.join(store, 'objects'), { recursive: true });
    const project = path.resolve(PROBE.packageDir, '../../../../..');
    const seen = await probe(
      [
        {
          do: 'exists',
          paths: [store, '/root', '/home', '/etc/passwd', '/etc/shadow', path.join(project, 'node_modules'), path.join(project, 'package.json'), '/run/systemd', '/var/lib'],
        },
        { do: 'ls', path: project },
        { do: 'ls', path: '/' },
        { do: 'ls', path: '/run/osbuild' },
      ],
      store,
    );
    expect(Object.values(seen.exists as object).every((exists) => exists === false)).toBe(true);
    // Only the chain of directories down to the plugin package exists there.
    expect(seen.ls).toEqual({ ok: true, value: ['api', 'inputs', 'meta', 'mounts', 'output', 'runner', 'tree'] });
    const listings = await probe([{ do: 'ls', path: project }]);
    expect(listings.ls).toEqual({ ok: true, value: ['packages'] });
    const root = await probe([{ do: 'ls', path: '/' }]);
    expect((root.ls as { value: string[] }).value.sort()).toEqual(
      // The project's top directory is there too (the chain down to the plugin), unless it is one of these anyway (/tmp).
      [...new Set(['bin', 'dev', 'etc', 'lib', 'lib64', 'proc', 'run', 'sbin', 'sys', 'tmp', 'usr', 'var', ...project.split('/').slice(1, 2)])].sort(),
    );
  });

  it('see host processes', async () => {
    const seen = await probe([{ do: 'pids' }, { do: 'process' }, { do: 'exec', command: 'cat', args: ['/proc/1/cmdline'] }]);
    // pid 1 is bwrap's init, pid 2 the stage; the host's processes (this test among them) are not there.
    expect(seen.pids).toEqual([1, 2]);
    expect(seen.process).toMatchObject({ pid: 2, ppid: 1, uid: 0, cwd: '/' });
    expect((seen.exec as { value: string }).value).toMatch(/^\S*bwrap\0/);
  });

  it('keep a process running after it exits', async () => {
    const marker = uniqueSleep();
    const seen = await probe([{ do: 'daemon', seconds: marker }]);
    expect(seen.daemon).toEqual(expect.any(Number));
    // The stage's detached, re-parented sleeper died with the sandbox's pid namespace.
    expect(processesWith(marker)).toEqual([]);
  });

  it.skipIf(inheritableFds().length === 0)("use descriptors the host process leaked (they are closed before stage code runs)", async () => {
    const leaked = inheritableFds().map((fd) => readlinkSync(`/proc/self/fd/${fd}`));
    const seen = await probe([{ do: 'fds' }]);
    const targets = (seen.fds as [number, string | null][]).map(([, target]) => target);
    for (const target of leaked) expect(targets).not.toContain(target);
  });

  it('leave a mount behind on the host', async () => {
    const buildDir = await tempDir();
    const before = mountinfo();
    await probe([{ do: 'daemon', seconds: uniqueSleep() }], buildDir);
    expect(mountLinesUnder([buildDir])).toEqual([]);
    expect(mountLinesUnder([buildDir], before)).toEqual([]);
  });
});
