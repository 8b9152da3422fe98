import { runTool } from '@osbuild-ts/plugin-kit';

/** An image format with upstream's per-format options (org.osbuild.qemu, v2). */
export type ImageFormatOptions =
  | { type: 'raw' }
  | { type: 'qcow2'; compression?: boolean; compat?: string }
  | { type: 'vdi' }
  | { type: 'vmdk'; adapter_type?: 'ide' | 'lsilogic' | 'buslogic' | 'legacyESX'; compat6?: boolean; compression?: boolean; subformat?: string }
  | { type: 'vpc'; force_size?: boolean; subformat?: 'fixed' | 'dynamic' }
  | { type: 'vhdx' };

export const QEMU_IMG_FORMATS: readonly ImageFormatOptions['type'][] = ['raw', 'qcow2', 'vdi', 'vmdk', 'vpc', 'vhdx'];

/** The `-c`/`-o` arguments of a format, with upstream's defaults (compressed qcow2 and vmdk, fixed-size vpc). */
function formatArguments(format: ImageFormatOptions): string[] {
  switch (format.type) {
    case 'qcow2': {
      const args = format.compression ?? true ? ['-c'] : [];
      if (format.compat) args.push('-o', `compat=${format.compat}`);
      return args;
    }
    case 'vmdk': {
      const args = format.compression ?? true ? ['-c'] : [];
      const opts = [
        ...(format.adapter_type ? [`adapter_type=${format.adapter_type}`] : []),
        ...(format.compat6 ? ['compat6'] : []),
        ...(format.subformat ? [`subformat=${format.subformat}`] : []),
      ];
      if (opts.length > 0) args.push('-o', opts.join(','));
      return args;
    }
    case 'vpc':
      return ['-o', [`subformat=${format.subformat ?? 'fixed'}`, ...(format.force_size ?? true ? ['force_size'] : [])].join(',')];
    case 'raw':
    case 'vdi':
    case 'vhdx':
      return [];
    default:
      throw new Error(`unknown image format "${(format as { type: unknown }).type}" (expected one of ${QEMU_IMG_FORMATS.join(', ')})`);
  }
}

/** `qemu-img convert` arguments from a raw image to `format`, in upstream's order. */
export function qemuImgConvertArguments(format: ImageFormatOptions, source: string, output: string, coroutines?: string): string[] {
  const args = formatArguments(format);
  if (coroutines) args.push('-m', coroutines);
  return ['convert', '-O', format.type, ...args, source, output];
}

/**
 * Converts a raw image with qemu-img. OSBUILD_QEMU_IMG_COROUTINES, as
 * upstream reads it, sets how many requests qemu-img keeps in flight.
 */
export function convertWithQemuImg(format: ImageFormatOptions, source: string, output: string, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  const coroutines = env['OSBUILD_QEMU_IMG_COROUTINES'];
  if (coroutines) log(`qemu-img coroutines: ${coroutines}`);
  runTool('qemu-img', qemuImgConvertArguments(format, source, output, coroutines));
}
