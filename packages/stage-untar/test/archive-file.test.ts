import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { StageArguments } from '@osbuild-ts/plugin-kit';
import { archiveFile } from '../src/archive-file.js';

function args(inputs: StageArguments['inputs']): StageArguments {
  return { tree: '/t', paths: { devices: '/dev', inputs: '/i', mounts: '/m' }, devices: {}, inputs, mounts: {}, options: {}, meta: { id: 'x' } };
}

function inputDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'untar-input-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('archiveFile', () => {
  it('is the one file of the file input, named by its checksum', () => {
    const dir = inputDir();
    writeFileSync(join(dir, 'sha256:ab'), '');
    expect(archiveFile(args({ file: { path: dir, data: { files: { 'sha256:ab': {} } } } }))).toBe(join(dir, 'sha256:ab'));
  });

  it('says what is wrong with the input', () => {
    const dir = inputDir();
    expect(() => archiveFile(args({ tree: { path: dir } }))).toThrow('no input named "file" (inputs: tree); the archive to extract is inputs.file, an org.osbuild.files input');
    expect(() => archiveFile(args({ file: { path: dir } }))).toThrow('inputs.file must hold exactly one file, the archive to extract; it holds 0');
    expect(() => archiveFile(args({ file: { path: dir, data: { files: { 'sha256:a': {}, 'sha256:b': {} } } } }))).toThrow(
      'inputs.file must hold exactly one file, the archive to extract; it holds 2 (sha256:a, sha256:b)',
    );
    expect(() => archiveFile(args({ file: { path: dir, data: { files: { 'sha256:gone': {} } } } }))).toThrow(`inputs.file: sha256:gone is listed but not in ${dir}`);
    expect(() => archiveFile(args({ file: { path: dir, data: { files: { '../x': {} } } } }))).toThrow('inputs.file: "../x" is not a file name');
  });
});
