/**
 * `osbuild convert`: rewrites a manifest that mixes the two formats — as
 * the documents this project was created from write them: `"version": "2"`
 * with stages keyed by `name` and a top-level v1 `assembler` — into a valid
 * v2 manifest with the same meaning.
 */
import { OsbuildError } from '@osbuild-ts/core';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
const LINUX = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
const SECTOR = 512;

export interface Conversion {
  manifest: Obj;
  /** What was changed, one line each, for the user. */
  notes: string[];
}

/** "10G", "512M", "2GiB" or a number → bytes. */
function bytes(value: Json, where: string): number {
  if (typeof value === 'number') return value;
  const m = typeof value === 'string' ? /^\s*(\d+)\s*([KMGT]?)(i?B)?\s*$/i.exec(value) : null;
  if (!m) throw new OsbuildError('E_USAGE', `${where}: expected a size in bytes or like "10G", got ${JSON.stringify(value)}`);
  const power = ' KMGT'.indexOf((m[2] || ' ').toUpperCase());
  return Number(m[1]) * 1024 ** power;
}

/** A stage in v2 form: `type` first, `name` gone. */
function stage(value: Json, where: string, notes: string[]): Json {
  if (!isObj(value) || typeof value.name !== 'string' || 'type' in value) return value;
  const { name, ...rest } = value;
  notes.push(`${where}: "name": "${name}" → "type"`);
  return { type: name, ...rest };
}

/** A deterministic vfat serial (XXXX-XXXX) from a seed uuid. */
function vfatId(seed: string): string {
  const hex = seed.replace(/-/g, '').toUpperCase().slice(0, 8).padEnd(8, '0');
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}

/**
 * The documents' qemu partitions (`name`, `type: "fat32"|"ext4"`,
 * `mountpoint`, offsets and sizes in bytes) in the assembler's form (GPT
 * type GUIDs, a `filesystem`, sectors). Upstream-form partitions pass.
 */
function partitions(options: Obj, rootUuid: string | undefined, notes: string[]): void {
  const list = options.partitions;
  if (!Array.isArray(list)) return;
  const total = typeof options.size === 'number' ? options.size : undefined;
  options.partitions = list.map((p, i) => {
    if (!isObj(p) || !('mountpoint' in p || 'name' in p)) return p;
    const where = `assembler.options.partitions[${i}]`;
    const { name, mountpoint, type, start, size, ...rest } = p;
    const out: Obj = { ...rest };
    const startSectors = typeof start === 'number' ? Math.floor(start / SECTOR) : undefined;
    let sizeSectors = typeof size === 'number' ? Math.floor(size / SECTOR) : undefined;
    if (startSectors !== undefined) out.start = startSectors;
    // The last partition ends before the backup GPT (33 sectors).
    if (total !== undefined && startSectors !== undefined && sizeSectors !== undefined && (startSectors + sizeSectors) * SECTOR > total - 33 * SECTOR) {
      sizeSectors = Math.floor(total / SECTOR) - 34 - startSectors;
      notes.push(`${where}: shrunk to ${sizeSectors} sectors to fit the ${total}-byte disk`);
    }
    if (sizeSectors !== undefined) out.size = sizeSectors;
    const fsType = type === 'fat32' || type === 'vfat' || type === 'fat' ? 'vfat' : typeof type === 'string' ? type : undefined;
    out.type = fsType === 'vfat' ? ESP : LINUX;
    if (fsType !== undefined && typeof mountpoint === 'string') {
      const uuid = fsType === 'vfat' ? vfatId(String(options.ptuuid ?? '7B7795E7')) : mountpoint === '/' && rootUuid ? rootUuid : undefined;
      out.filesystem = { type: fsType, ...(uuid ? { uuid } : {}), ...(typeof name === 'string' ? { label: name } : {}), mountpoint };
      if (uuid === undefined) throw new OsbuildError('E_USAGE', `${where}: give this ${fsType} file system a uuid ("filesystem": {"uuid": …}) in the converted manifest`);
    }
    notes.push(`${where}: bytes → sectors, "type": "${String(type)}" → a GPT type and a filesystem`);
    return out;
  });
}

/** The root file system uuid the stages agree on (org.osbuild.grub2's `root_fs_uuid`). */
function rootUuid(pipelines: Json[]): string | undefined {
  for (const p of pipelines) {
    if (!isObj(p) || !Array.isArray(p.stages)) continue;
    for (const s of p.stages) {
      if (isObj(s) && isObj(s.options) && typeof s.options.root_fs_uuid === 'string') return s.options.root_fs_uuid;
    }
  }
  return undefined;
}

function assemblerPipeline(assembler: Obj, tree: string, pipelines: Json[], notes: string[]): Obj {
  const type = assembler.name ?? assembler.type;
  const options: Obj = isObj(assembler.options) ? structuredClone(assembler.options) : {};
  const input = { tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: [`name:${tree}`] } };
  if (type === 'org.osbuild.qemu') {
    if ('size' in options) options.size = bytes(options.size!, 'assembler.options.size');
    partitions(options, rootUuid(pipelines), notes);
    if (!('pttype' in options) && Array.isArray(options.partitions)) options.pttype = 'gpt';
    if (!('root_fs_uuid' in options) && !Array.isArray(options.partitions)) {
      const uuid = rootUuid(pipelines);
      if (uuid) options.root_fs_uuid = uuid;
    }
    notes.push(`assembler org.osbuild.qemu → pipeline "image" with io.github.osbuild-ts.disk-image on the tree of "${tree}"`);
    return { name: 'image', stages: [{ type: 'io.github.osbuild-ts.disk-image', inputs: input, options }] };
  }
  if (type === 'org.osbuild.tar') {
    const { filename, compression, ...rest } = options;
    const stageOptions: Obj = { filename: filename ?? 'tree.tar', ...rest };
    if (typeof compression === 'string') stageOptions.compression = compression;
    notes.push(`assembler org.osbuild.tar → pipeline "image" with the org.osbuild.tar stage on the tree of "${tree}"`);
    return { name: 'image', stages: [{ type: 'org.osbuild.tar', inputs: input, options: stageOptions }] };
  }
  throw new OsbuildError('E_USAGE', `assembler ${String(type)}: osbuild convert knows org.osbuild.qemu and org.osbuild.tar; write its v2 pipeline by hand`);
}

export function convertManifest(input: unknown): Conversion {
  if (!isObj(input)) throw new OsbuildError('E_USAGE', 'a manifest is a JSON object');
  const notes: string[] = [];
  const doc = structuredClone(input) as Obj;
  if (doc.version !== '2' && doc.version !== 2 && !Array.isArray(doc.pipelines)) {
    throw new OsbuildError('E_USAGE', 'not a version 2 manifest (no "version": "2" and no "pipelines"): a v1 manifest is valid as it is');
  }
  if (doc.version !== '2') notes.push('"version" → "2"');
  const pipelines: Json[] = Array.isArray(doc.pipelines) ? doc.pipelines : [];
  const out: Obj = { version: '2', pipelines: [] };
  const converted = pipelines.map((p, i) => {
    if (!isObj(p)) return p;
    const copy: Obj = { ...p };
    if (Array.isArray(p.stages)) copy.stages = p.stages.map((s, j) => stage(s, `pipelines[${i}].stages[${j}]`, notes));
    return copy;
  });
  if (isObj(doc.assembler)) {
    const last = [...converted].reverse().find((p) => isObj(p) && typeof p.name === 'string') as Obj | undefined;
    if (!last) throw new OsbuildError('E_USAGE', 'the assembler needs a pipeline whose tree it assembles, and there is none');
    converted.push(assemblerPipeline(doc.assembler, String(last.name), converted, notes));
  }
  out.pipelines = converted;
  for (const [key, value] of Object.entries(doc)) if (!['version', 'pipelines', 'assembler'].includes(key)) out[key] = value;
  return { manifest: out, notes };
}
