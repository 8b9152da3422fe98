// osbuild convert on the documents' own examples (samples/debian-seed/documents):
// they mix v1 and v2 and fail validation; converted, they are valid v2
// manifests with the same stages and an image pipeline for the assembler.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './project.js';
import { osbuild } from './run-cli.js';

const documents = join(repoRoot, 'samples', 'debian-seed', 'documents');

describe('osbuild convert', () => {
  for (const name of ['basic.json', 'bootable.json']) {
    it(`makes the documents' ${name} a valid v2 manifest`, async () => {
      const before = await osbuild(['--inspect', join(documents, name)]);
      expect(before.status).toBe(2);
      const out = join(mkdtempSync(join(tmpdir(), 'osbuild-convert-')), name);
      const r = await osbuild(['convert', join(documents, name), '-o', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('"name": "org.osbuild.debian.debootstrap" → "type"');
      const after = await osbuild(['--inspect', out]);
      expect(after.status, after.stdout).toBe(0);
      const converted = JSON.parse(readFileSync(out, 'utf8'));
      expect(converted.assembler).toBeUndefined();
      expect(converted.pipelines.map((p: { name: string }) => p.name)).toEqual(['build', 'image']);
      expect(converted.pipelines[0].stages.map((s: { type: string }) => s.type).slice(0, 2)).toEqual(['org.osbuild.debian.debootstrap', 'org.osbuild.apt']);
    });
  }

  it("turns the documents' qemu partitions (bytes, fat32, mountpoint) into the assembler's form", async () => {
    const r = await osbuild(['convert', join(documents, 'bootable.json')]);
    expect(r.status).toBe(0);
    const stage = JSON.parse(r.stdout).pipelines[1].stages[0];
    expect(stage.type).toBe('io.github.osbuild-ts.disk-image');
    expect(stage.inputs.tree.references).toEqual(['name:build']);
    expect(stage.options.size).toBe(10 * 1024 ** 3);
    expect(stage.options.partitions[0]).toMatchObject({ start: 2048, size: 524288, type: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', filesystem: { type: 'vfat', mountpoint: '/boot/efi' } });
    expect(stage.options.partitions[1].filesystem).toEqual({ type: 'ext4', uuid: '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75', label: 'root', mountpoint: '/' });
    // The documents' root partition runs past the 10 GiB disk: it is made to fit.
    expect((stage.options.partitions[1].start + stage.options.partitions[1].size) * 512).toBeLessThanOrEqual(10 * 1024 ** 3 - 33 * 512);
  });

  it('refuses what it cannot convert, and a v1 manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osbuild-convert-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ version: '2', pipelines: [{ name: 'os', stages: [] }], assembler: { name: 'org.osbuild.ostree.commit', options: {} } }));
    const r = await osbuild(['convert', join(dir, 'a.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('assembler org.osbuild.ostree.commit: osbuild convert knows org.osbuild.qemu and org.osbuild.tar');
    writeFileSync(join(dir, 'v1.json'), JSON.stringify({ pipeline: { stages: [] } }));
    expect((await osbuild(['convert', join(dir, 'v1.json')])).status).toBe(2);
  });
});
