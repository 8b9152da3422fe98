import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilityMask, stageCapabilities } from '../src/capabilities.js';
import { createBuildSandbox } from '../src/prewarm.js';
import { runInSandbox } from '../src/run.js';
import type { OutputStream } from '../src/output.js';
import { PROBE, probeArgs, reports, tempDir, type Action } from './helpers.js';

async function probe(actions: Action[], extra: Partial<Parameters<typeof runInSandbox>[0]> = {}) {
  const tree = extra.tree ?? (await tempDir());
  const lines: [string, OutputStream][] = [];
  const result = await runInSandbox({
    ...PROBE,
    tree,
    arguments: probeArgs(actions),
    tempDir: await tempDir(),
    onOutput: (line, stream) => lines.push([line, stream]),
    ...extra,
  });
  return { result, lines, seen: reports(lines.map(([line]) => line)), tree };
}

describe('the stage runtime contract', () => {
  it('gives the arguments document on stdin and at /run/osbuild/api/arguments, byte for byte', async () => {
    // A string is passed through untouched: the engine can hand over py-json bytes.
    const document = JSON.stringify(probeArgs([{ do: 'args' }]), null, 1);
    const { result, seen } = await probe([], { arguments: document });
    expect(result.exitCode).toBe(0);
    expect(seen.args).toMatchObject({ same: true, args: JSON.parse(document), argv1: PROBE.entry });
  });

  it('runs with exactly the stage environment', async () => {
    const { seen } = await probe([{ do: 'env' }], { env: { SOURCE_DATE_EPOCH: '1700000000' } });
    expect(seen.env).toEqual({
      container: 'bwrap-osbuild',
      LC_CTYPE: 'C.UTF-8',
      PATH: '/usr/sbin:/usr/bin',
      PYTHONPATH: '/run/osbuild/lib',
      PYTHONUNBUFFERED: '1',
      TERM: process.env.TERM || 'dumb',
      SOURCE_DATE_EPOCH: '1700000000',
      PWD: '/',
    });
  });

  it('keeps exactly the stage capabilities plus declared ones', async () => {
    const plain = await probe([{ do: 'caps' }]);
    expect(BigInt(`0x${plain.seen.caps as string}`)).toBe(capabilityMask(stageCapabilities()));
    const extra = await probe([{ do: 'caps' }], { capabilities: ['CAP_MAC_ADMIN'] });
    expect(BigInt(`0x${extra.seen.caps as string}`)).toBe(capabilityMask(stageCapabilities(['CAP_MAC_ADMIN'])));
    expect(stageCapabilities(['CAP_MAC_ADMIN'])).toContain('CAP_MAC_ADMIN');
  });

  it('streams stdout and stderr line by line and returns the exit status and output tail', async () => {
    const { result, lines } = await probe(
      [
        { do: 'print', lines: ['one\ntw', 'o\n'], stream: 'stdout' },
        { do: 'print', lines: ['oops\n'], stream: 'stderr' },
        { do: 'print', lines: ['no newline'], stream: 'stdout' },
        { do: 'exit', code: 3 },
      ],
      { tailLines: 2 },
    );
    expect(lines).toEqual([['one', 'stdout'], ['two', 'stdout'], ['oops', 'stderr'], ['no newline', 'stdout']]);
    expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false, outputTail: ['oops', 'no newline'] });
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('reports a crashing entry as a failed stage, with the error in the output', async () => {
    const { result } = await probe([{ do: 'no-such-action' }]);
    expect(result.exitCode).toBe(1);
    expect(result.outputTail.join('\n')).toContain('unknown action no-such-action');
  });

  it('returns the metadata the stage wrote, or says why it could not', async () => {
    expect((await probe([{ do: 'meta', value: { packages: ['a'] } }])).result.metadata).toEqual({ packages: ['a'] });
    expect((await probe([])).result.metadata).toBeNull();
    const broken = (await probe([{ do: 'meta', value: '{oops' }])).result;
    expect(broken).toMatchObject({ metadata: null, metadataError: expect.stringContaining('not JSON') });
  });

  it('gives a stage its tree read-write and inputs read-only', async () => {
    const input = await tempDir();
    await writeFile(path.join(input, 'data'), 'payload');
    const { seen, tree } = await probe(
      [
        { do: 'write', paths: ['/run/osbuild/tree/made-by-stage', '/run/osbuild/inputs/files/x'] },
        { do: 'read', paths: ['/run/osbuild/inputs/files/data'] },
      ],
      { inputs: [{ name: 'files', hostPath: input }] },
    );
    expect(seen.write).toEqual({ '/run/osbuild/tree/made-by-stage': true, '/run/osbuild/inputs/files/x': 'EROFS' });
    expect(seen.read).toEqual({ '/run/osbuild/inputs/files/data': { ok: true, value: 'payload' } });
    expect(await readFile(path.join(tree, 'made-by-stage'), 'utf8')).toBe('x');
  });

  it('gives an assembler the tree read-only and the output directory read-write', async () => {
    const tree = await tempDir();
    await mkdir(path.join(tree, 'etc'));
    const output = await tempDir();
    const { seen } = await probe(
      [
        { do: 'write', paths: ['/run/osbuild/tree/x', '/run/osbuild/tree/etc/x', '/run/osbuild/output/image.raw'] },
        { do: 'ls', path: '/run/osbuild/tree' },
      ],
      { tree, treeReadOnly: true, outputDir: output },
    );
    expect(seen.write).toEqual({ '/run/osbuild/tree/x': 'EROFS', '/run/osbuild/tree/etc/x': 'EROFS', '/run/osbuild/output/image.raw': true });
    expect(seen.ls).toEqual({ ok: true, value: ['etc'] });
    expect(await readFile(path.join(output, 'image.raw'), 'utf8')).toBe('x');
  });

  it('provides a private /dev with the basic nodes, where device nodes can be made', async () => {
    const { seen } = await probe([
      { do: 'ls', path: '/dev' },
      { do: 'write', paths: ['/dev/null', '/dev/shm/x', '/tmp/x', '/var/tmp/x', '/run/x', '/etc/x'] },
      { do: 'exec', command: 'mknod', args: ['/dev/loop-test', 'b', '7', '0'] },
      { do: 'exec', command: 'stat', args: ['-c', '%t,%T %F', '/dev/loop-test'] },
      { do: 'read', paths: ['/proc/cmdline'] },
    ]);
    expect(seen.ls).toEqual({ ok: true, value: expect.arrayContaining(['full', 'null', 'random', 'shm', 'tty', 'urandom', 'zero']) });
    expect(Object.values(seen.write as object).every((ok) => ok === true)).toBe(true);
    expect(seen.exec).toEqual({ ok: true, value: '7,0 block special file' });
    expect(seen.read).toEqual({ '/proc/cmdline': { ok: true, value: 'root=/dev/osbuild\n' } });
  });
});

describe('errors before any stage code runs', () => {
  it('a missing entry, an entry outside its package, a missing tree: E_SANDBOX, nothing left behind', async () => {
    const buildDir = await tempDir();
    const tree = await tempDir();
    await expect(runInSandbox({ ...PROBE, entry: path.join(PROBE.packageDir, 'nope.mjs'), tree, arguments: {}, tempDir: buildDir })).rejects.toMatchObject({
      code: 'E_SANDBOX',
      message: expect.stringContaining('does not exist'),
    });
    await expect(runInSandbox({ ...PROBE, entry: '/etc/hostname', tree, arguments: {}, tempDir: buildDir })).rejects.toMatchObject({
      code: 'E_SANDBOX',
      message: expect.stringContaining('outside its package'),
    });
    await expect(runInSandbox({ ...PROBE, tree: path.join(tree, 'missing'), arguments: {}, tempDir: buildDir })).rejects.toMatchObject({
      code: 'E_SANDBOX',
      message: expect.stringContaining('tree'),
    });
    await expect(runInSandbox({ ...PROBE, tree, inputs: [{ name: '../x', hostPath: tree }], arguments: {}, tempDir: buildDir })).rejects.toMatchObject({
      code: 'E_SANDBOX',
    });
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(buildDir)).toEqual([]);
  });

  it('a runner runs exactly one stage', async () => {
    const build = await createBuildSandbox({ buildDir: await tempDir() });
    try {
      const runner = build.prewarm({ ...PROBE, tree: await tempDir() });
      expect((await runner.start({ arguments: probeArgs([]) })).exitCode).toBe(0);
      await expect(runner.start({ arguments: probeArgs([]) })).rejects.toMatchObject({ code: 'E_SANDBOX', message: expect.stringContaining('exactly one stage') });
    } finally {
      await build.close();
    }
  });
});
