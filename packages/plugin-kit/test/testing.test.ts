import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally } from '../src/testing.js';

const distIndex = join(import.meta.dirname, '..', 'dist', 'index.js');

function stageFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kit-stage-'));
  const file = join(dir, 'main.mjs');
  writeFileSync(file, `import { runStage, writeMetadata } from ${JSON.stringify(distIndex)};\n${body}\n`);
  return file;
}

/** A stage that reports, as metadata, the arguments document it read and its SOURCE_DATE_EPOCH. */
const echoStage = () =>
  stageFile(`
    await runStage((args) => {
      writeMetadata({ args, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? null });
    });`);

describe('runStageLocally', () => {
  it('gives the stage its options and tree, and returns its metadata', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kit-tree-'));
    const entry = stageFile(`
      import { writeFileSync } from 'node:fs';
      await runStage((args) => {
        writeFileSync(args.tree + '/motd', args.options.text);
        writeMetadata({ wrote: '/motd' });
      });`);
    const result = await runStageLocally({ entry, tree, options: { text: 'hello\n' } });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(join(tree, 'motd'), 'utf8')).toBe('hello\n');
    expect(result.metadata).toEqual({ wrote: '/motd' });
  });

  it('turns a thrown error into one line and exit status 1', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kit-tree-'));
    const entry = stageFile(`await runStage(() => { throw new Error('no such user: bob'); });`);
    const result = await runStageLocally({ entry, tree });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe('no such user: bob\n');
    expect(result.metadata).toBeNull();
  });

  it('writes the arguments document in spec §8.2\'s shape, with no devices, mounts or source-epoch by default', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kit-tree-'));
    const result = await runStageLocally({ entry: echoStage(), tree });
    expect(result.exitCode, result.output).toBe(0);
    const { args } = result.metadata as { args: Record<string, unknown> };
    expect(Object.keys(args)).toEqual(['tree', 'paths', 'devices', 'inputs', 'mounts', 'options', 'meta']);
    expect(args).toEqual({
      tree,
      paths: { devices: '/dev', inputs: '', mounts: '' },
      devices: {},
      inputs: {},
      mounts: {},
      options: {},
      meta: { id: '0'.repeat(64) },
    });
  });

  it('passes devices, mounts, paths and the stage id through', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kit-tree-'));
    const devices = { device: { path: '/dev/loop7', node: { major: 7, minor: 7 } }, efi: { path: '/dev/loop8' } };
    const mounts = { root: { path: '/srv/mounts/.' }, efi: { path: '/srv/mounts/boot/efi' } };
    const id = 'ab'.repeat(32);
    const result = await runStageLocally({ entry: echoStage(), tree, devices, mounts, paths: { mounts: '/srv/mounts' }, id });
    expect(result.exitCode, result.output).toBe(0);
    const { args } = result.metadata as { args: Record<string, unknown> };
    expect(args).toMatchObject({ devices, mounts, paths: { devices: '/dev', inputs: '', mounts: '/srv/mounts' }, meta: { id } });
  });

  it('gives a source epoch as meta.source-epoch and SOURCE_DATE_EPOCH, as the engine does', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kit-tree-'));
    const entry = echoStage();
    const result = await runStageLocally({ entry, tree, sourceEpoch: 1700000000 });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.metadata).toMatchObject({ args: { meta: { id: '0'.repeat(64), 'source-epoch': 1700000000 } }, SOURCE_DATE_EPOCH: '1700000000' });
    // 0 is an epoch too.
    const zero = await runStageLocally({ entry, tree, sourceEpoch: 0 });
    expect(zero.metadata).toMatchObject({ args: { meta: { 'source-epoch': 0 } }, SOURCE_DATE_EPOCH: '0' });
  });

  it('does not let a SOURCE_DATE_EPOCH of the test\'s own environment through without a source epoch', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kit-tree-'));
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1234';
    try {
      const result = await runStageLocally({ entry: echoStage(), tree });
      expect(result.metadata).toMatchObject({ args: { meta: { id: '0'.repeat(64) } }, SOURCE_DATE_EPOCH: null });
      expect((result.metadata as { args: { meta: object } }).args.meta).not.toHaveProperty('source-epoch');
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
  });

  it('refuses a source epoch that is not a whole number of seconds', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kit-tree-'));
    await expect(runStageLocally({ entry: echoStage(), tree, sourceEpoch: 1.5 })).rejects.toThrow(
      'runStageLocally: sourceEpoch must be a non-negative integer (seconds since 1970), got 1.5',
    );
  });
});

describe.skipIf(process.getuid?.() !== 0)('runStageOffline', () => {
  it('runs the stage in a network namespace of its own: no interface with an address, and the stage still reports back', async () => {
    // From dist: the namespace's child process is the built run-stage-offline-child.js.
    const { runStageOffline } = (await import(join(import.meta.dirname, '..', 'dist', 'testing.js'))) as typeof import('../src/testing.js');
    const tree = mkdtempSync(join(tmpdir(), 'kit-offline-'));
    const result = runStageOffline({ entry: echoStage(), tree, options: { a: 1 } });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.interfaces).toEqual([]); // the namespace's loopback is down: no addresses
    expect((result.metadata as { args: { options: unknown } }).args.options).toEqual({ a: 1 });
  });
});
