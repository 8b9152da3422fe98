import type { OciConfigOptions, OciOptions } from './oci-options.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The image configuration's `config` (execution parameters) from the
 * options, as upstream makes it: Cmd and Env with their defaults, the other
 * fields when given and not empty, ExposedPorts and Volumes turned from
 * lists into objects of empty objects.
 */
export function executionConfig(options: OciConfigOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {
    Env: options.Env ?? [`PATH=${DEFAULT_PATH}`],
    Cmd: options.Cmd ?? ['sh'],
  };
  const stopSignal = options.StopSignal ?? options.StopSiganl;
  const plain: [string, unknown][] = [
    ['Entrypoint', options.Entrypoint],
    ['User', options.User],
    ['Labels', options.Labels],
    ['StopSignal', stopSignal],
    ['WorkingDir', options.WorkingDir],
  ];
  for (const [name, value] of plain) if (truthy(value)) config[name] = value;
  for (const name of ['ExposedPorts', 'Volumes'] as const) {
    const list = options[name];
    if (list && list.length > 0) config[name] = Object.fromEntries(list.map((x) => [x, {}]));
  }
  return config;
}

/** Python's truth: empty strings, lists and objects count as absent. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** `2023-11-14T22:13:20+00:00`, Python's isoformat of a UTC time. */
export function isoTime(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The inputs in layer order: `base`, then `layer.N` by N. */
export function layerOrder(names: readonly string[]): string[] {
  const rank = (name: string): number => (name === 'base' ? 0 : Number(/^layer\.(\d+)$/.exec(name)?.[1] ?? Number.MAX_SAFE_INTEGER));
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export interface LayerInfo {
  input: string;
  /** sha256 of the uncompressed layer (the diff id). */
  diffId: string;
  blob: Blob;
}

export interface Blob {
  digest: string;
  size: number;
  mediaType: string;
}

export function imageConfig(options: OciOptions, created: string, layers: readonly LayerInfo[]): Record<string, unknown> {
  const config: Record<string, unknown> = {
    created,
    architecture: options.architecture,
    os: 'linux',
    config: executionConfig(options.config ?? {}),
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((l) => ({ created, created_by: `/bin/sh -c #(nop) osbuild input '${l.input}'` })),
  };
  if (options.variant) config['variant'] = options.variant;
  return config;
}
