import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { convertWithQemuImg, qemuImgConvertArguments, type ImageFormatOptions } from '@osbuild-ts/image-kit';
import type { QemuOptions } from './options.js';

/** The v1 options' format, in the v2 stage's shape: upstream's v1 defaults are the v2 ones. */
export function formatOptions(options: Pick<QemuOptions, 'format' | 'qcow2_compat' | 'vmdk_subformat'>): ImageFormatOptions {
  switch (options.format) {
    case 'qcow2':
      return { type: 'qcow2', ...(options.qcow2_compat ? { compat: options.qcow2_compat } : {}) };
    case 'vmdk':
      return { type: 'vmdk', ...(options.vmdk_subformat ? { subformat: options.vmdk_subformat } : {}) };
    case 'vdi':
    case 'vpc':
    case 'vhdx':
      return { type: options.format };
    default:
      throw new Error(`${options.format} is not made with qemu-img`);
  }
}

/** `qemu-img convert` arguments for a format, as upstream passes them. */
export function qemuImgArguments(options: Pick<QemuOptions, 'format' | 'qcow2_compat' | 'vmdk_subformat'>, raw: string, output: string, coroutines?: string): string[] {
  return qemuImgConvertArguments(formatOptions(options), raw, output, coroutines);
}

/**
 * Turns the finished raw image into the requested format at `output`: raw
 * was built in place already; raw.xz is `xz -0` on every core; the rest
 * `qemu-img convert`.
 */
export function convertImage(options: QemuOptions, raw: string, output: string, log: (line: string) => void): void {
  if (options.format === 'raw') return;
  if (options.format === 'raw.xz') {
    const fd = openSync(output, 'w');
    try {
      const result = spawnSync('xz', ['--keep', '--stdout', '-0', raw], { stdio: ['ignore', fd, 'inherit'], env: { ...process.env, XZ_OPT: '--threads 0' } });
      if (result.error) throw new Error(`xz: ${result.error.message}`);
      if (result.status !== 0) throw new Error(`xz --keep --stdout -0 ${raw} failed (exit status ${result.status})`);
    } finally {
      closeSync(fd);
    }
    return;
  }
  convertWithQemuImg(formatOptions(options), raw, output, log);
}
