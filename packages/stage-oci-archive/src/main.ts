#!/usr/bin/env node
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newestMtime, outputPath, reproducibleTarArguments, requireTool, runStage, runTool, sourceEpoch } from '@osbuild-ts/plugin-kit';
import { imageConfig, isoTime, layerOrder, type Blob, type LayerInfo } from './image-config.js';
import type { OciOptions } from './oci-options.js';
import { pyJson } from './py-json.js';

const MEDIA_TYPES = {
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
} as const;

/**
 * The extended attributes a layer keeps, as upstream means to: user.*, IMA
 * and file capabilities. tar matches these as globs; upstream hands it a
 * regex, `^(user.|security\.ima|security\.capability)`, that matches no
 * name, so its layers carry no xattrs at all.
 */
const XATTRS_WANT = ['user.*', 'security.ima', 'security.capability'];

await runStage<OciOptions>((args) => {
  requireTool('tar', 'tar');
  requireTool('gzip', 'gzip');
  const { options } = args;
  const names = layerOrder(Object.keys(args.inputs));
  if (!names.includes('base')) throw new Error(`no input named "base" (the image's first layer, an org.osbuild.tree input); inputs: ${names.join(', ') || 'none'}`);
  const archive = outputPath(args.tree, options.filename);
  const trees = names.map((name) => args.inputs[name]!.path);
  // Upstream takes the clock without a source epoch; the newest time in the
  // layers keeps the image reproducible and still says something true.
  const epoch = sourceEpoch(args) ?? Math.max(...trees.map(newestMtime));
  const created = isoTime(epoch);

  const work = mkdtempSync(join(args.tree, '.oci-archive-'));
  try {
    const layout = join(work, 'output');
    const blobs = join(layout, 'blobs', 'sha256');
    mkdirSync(blobs, { recursive: true });
    const layers: LayerInfo[] = names.map((input, i) => {
      const tar = join(work, 'layer.tar');
      const entries = readdirSync(trees[i]!).sort();
      if (entries.length === 0) throw new Error(`inputs.${input}: the tree is empty; a layer needs at least one file`);
      runTool('tar', [
        '--no-selinux',
        '--acls',
        '--xattrs',
        ...XATTRS_WANT.map((glob) => `--xattrs-include=${glob}`),
        '--format=posix',
        '--numeric-owner',
        ...reproducibleTarArguments(epoch),
        '-cf',
        tar,
        '-C',
        trees[i]!,
        '--',
        ...entries,
      ]);
      const diffId = `sha256:${sha256File(tar)}`;
      // -n: no file name or time in the gzip header (upstream's has both).
      runTool('gzip', ['-n', '-c', tar], { stdoutFile: `${tar}.gz` });
      rmSync(tar);
      const blob = addBlob(blobs, `${tar}.gz`, MEDIA_TYPES.layer);
      process.stdout.write(`layer ${input}: ${blob.size} bytes, ${blob.digest}\n`);
      return { input, diffId, blob };
    });
    const config = addJsonBlob(blobs, work, imageConfig(options, created, layers), MEDIA_TYPES.config);
    const manifest: Record<string, unknown> = { schemaVersion: 2, config, layers: layers.map((l) => l.blob) };
    if (options.annotations && Object.keys(options.annotations).length > 0) manifest['annotations'] = options.annotations;
    const manifestBlob = addJsonBlob(blobs, work, manifest, MEDIA_TYPES.manifest);
    writeFileSync(join(layout, 'index.json'), pyJson({ schemaVersion: 2, manifests: [manifestBlob] }));
    writeFileSync(join(layout, 'oci-layout'), pyJson({ imageLayoutVersion: '1.0.0' }));

    // Upstream's final archive: sorted, root-owned, normalised modes, one time.
    runTool('tar', [
      '--no-selinux',
      '--no-xattrs',
      '--no-acls',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--mode=go=rX,u+rw,a-s',
      '--format=posix',
      `--mtime=@${epoch}`,
      ...reproducibleTarArguments(null),
      '-cf',
      archive,
      `--directory=${layout}`,
      '--',
      ...readdirSync(layout).sort(),
    ]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

function sha256File(path: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function addBlob(blobs: string, path: string, mediaType: string): Blob {
  const digest = sha256File(path);
  const size = statSync(path).size;
  renameSync(path, join(blobs, digest));
  return { digest: `sha256:${digest}`, size, mediaType };
}

function addJsonBlob(blobs: string, work: string, value: unknown, mediaType: string): Blob {
  const path = join(work, 'blob.json');
  writeFileSync(path, pyJson(value));
  return addBlob(blobs, path, mediaType);
}
