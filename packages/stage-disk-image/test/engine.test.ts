// Through the real engine: a v2 manifest whose `image` pipeline puts the
// `os` pipeline's tree on a partitioned disk with this stage; the image is
// exported and checked with the real tools.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');
const linked = (name: string) => realpathSync(join(packageDir, 'node_modules', '@osbuild-ts', name));
const ROOT_UUID = '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75';

function manifest(format: string, filename: string) {
  return {
    version: '2',
    pipelines: [
      {
        name: 'os',
        'source-epoch': 1700000000,
        stages: [{ type: 'org.osbuild.mkdir', options: { paths: [{ path: '/etc' }, { path: '/srv/data', parents: true }] } }],
      },
      {
        name: 'image',
        'source-epoch': 1700000000,
        stages: [
          {
            type: 'io.github.osbuild-ts.disk-image',
            inputs: { tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } },
            options: {
              format,
              filename,
              size: 64 * 1024 * 1024,
              ptuuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0',
              pttype: 'gpt',
              partitions: [{ start: 2048, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', filesystem: { type: 'ext4', uuid: ROOT_UUID, label: 'root', mountpoint: '/' } }],
            },
          },
        ],
      },
    ],
  };
}

describe('io.github.osbuild-ts.disk-image through osbuild', () => {
  let work: string;
  let project: string;
  beforeAll(() => {
    work = mkdtempSync('/var/tmp/osbuild-ts-disk-image-');
    project = join(work, 'project');
    mkdirSync(join(project, 'node_modules', '@osbuild-ts'), { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"name": "disk-image-test", "private": true}\n');
    symlinkSync(linked('stage-mkdir'), join(project, 'node_modules', '@osbuild-ts', 'stage-mkdir'));
    symlinkSync(packageDir, join(project, 'node_modules', '@osbuild-ts', 'stage-disk-image'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function build(format: string, filename: string) {
    const file = join(work, `${format}.json`);
    writeFileSync(file, JSON.stringify(manifest(format, filename)));
    const out = join(work, `out-${format}`);
    const r = spawnSync(
      process.execPath,
      [join(linked('cli'), 'bin', 'osbuild.js'), '--libdir', project, '--store', join(work, 'store'), '--json', '--export', 'image', '--output-directory', out, file],
      { encoding: 'utf8' },
    );
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    return { image: join(out, 'image', filename), result: JSON.parse(r.stdout) as { success: boolean } };
  }

  it('writes the tree of the input pipeline onto the disk, in the exported image pipeline', () => {
    const { image, result } = build('raw', 'disk.raw');
    expect(result.success).toBe(true);
    const table = JSON.parse(execFileSync('sfdisk', ['--json', image], { encoding: 'utf8' })) as { partitiontable: { label: string; partitions: { start: number }[] } };
    expect(table.partitiontable.label).toBe('gpt');
    expect(table.partitiontable.partitions[0]!.start).toBe(2048);
    // debugfs reads the file system at the partition's offset without mounting it.
    const listing = execFileSync('debugfs', ['-R', 'ls -p /srv', `${image}?offset=${2048 * 512}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(listing).toMatch(/\/data\//);
  });

  it('converts to the requested format', () => {
    const { image } = build('qcow2', 'disk.qcow2');
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', image], { encoding: 'utf8' })) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 64 * 1024 * 1024 });
  });
});
