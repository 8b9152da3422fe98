import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { runTool } from '@osbuild-ts/plugin-kit';
import type { ImageFormat, QemuOptions } from './options.js';

/** `qemu-img convert` arguments for a format, as upstream passes them. */
export function qemuImgArguments(options: Pick<QemuOptions, 'format' | 'qcow2_compat' | 'vmdk_subformat'>, raw: string, output: string, coroutines?: string): string[] {
  const extra: Record<Exclude<ImageFormat, 'raw' | 'raw.xz'>, string[]> = {
    qcow2: ['-c'],
    vdi: [],
    vmdk: ['-c'],
    vpc: ['-o', 'subformat=fixed,force_size'],
    vhdx: [],
  };
  if (options.format === 'raw' || options.format === 'raw.xz') throw new Error(`${options.format} is not made with qemu-img`);
  const args = [...extra[options.format]];
  if (options.format === 'qcow2' && options.qcow2_compat) args.push('-o', `compat=${options.qcow2_compat}`);
  if (options.format === 'vmdk' && options.vmdk_subformat) args.push('-o', `subformat=${options.vmdk_subformat}`);
  if (coroutines) args.push('-m', coroutines);
  return ['convert', '-O', options.format, ...args, raw, output];
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
  const coroutines = process.env['OSBUILD_QEMU_IMG_COROUTINES'];
  if (coroutines) log(`qemu-img coroutines: ${coroutines}`);
  runTool('qemu-img', qemuImgArguments(options, raw, output, coroutines));
}
