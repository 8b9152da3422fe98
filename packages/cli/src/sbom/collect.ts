import { createHash } from 'node:crypto';
import { toPlain, type Manifest, type Pipeline, type Plain } from '@osbuild-ts/core';

/** A package the image holds, with where the build got it from. */
export interface SbomPackage {
  kind: 'deb' | 'rpm';
  name: string;
  /** deb: the Debian version (epoch:upstream-revision); rpm: version-release, with the epoch apart. */
  version: string;
  epoch: string | null;
  arch: string;
  /** The source package (deb: dpkg's source:Package and source:Version). */
  source: { name: string; version: string } | null;
  /** The file's checksums: `sha256` in hex, as the build's source item was pinned. */
  sha256: string | null;
  /** Where the build's source fetched it; null when the manifest does not say (NOASSERTION). */
  downloadLocation: string | null;
  license: string | null;
  purl: string;
}

export interface SbomExport {
  name: string;
  pipelineId: string | null;
  packages: SbomPackage[];
}

export interface SbomInput {
  manifestName: string;
  exports: SbomExport[];
  /** Seconds since the epoch: SOURCE_DATE_EPOCH when set, so a build's SBOM is reproducible. */
  created: number;
  /** Stable across builds of one manifest: derived from the exported pipelines' ids. */
  namespaceId: string;
}

/** The stage records the SBOM needs (the engine's StageRecord, whether the stage ran or came from the store). */
export interface StageMetadataRecord {
  pipeline: string;
  index: number;
  metadata: unknown;
}

/** Pipelines whose trees end up in an export's: the export and what its stages take as inputs (not build roots), recursively. */
export function contentPipelines(manifest: Manifest, name: string): Pipeline[] {
  const seen = new Map<string, Pipeline>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    const p = manifest.pipelines.find((q) => q.name === n);
    if (!p) return;
    seen.set(n, p);
    for (const stage of p.stages) for (const input of stage.inputs) for (const dep of input.pipelineNames ?? []) visit(dep);
  };
  visit(name);
  return [...seen.values()];
}

/** Where the manifest's sources fetch an item: curl's URL, or librepo's mirror (a baseurl) joined with the item's path. */
export function sourceLocations(manifest: Manifest): Map<string, string> {
  const locations = new Map<string, string>();
  for (const source of manifest.sources) {
    const items = toPlain(source.items) as Record<string, Plain>;
    if (source.type === 'org.osbuild.curl') {
      for (const [checksum, item] of Object.entries(items)) {
        const url = typeof item === 'string' ? item : item && typeof item === 'object' && !Array.isArray(item) && typeof item.url === 'string' ? item.url : null;
        if (url) locations.set(checksum, url);
      }
    } else if (source.type === 'org.osbuild.librepo') {
      const mirrors = ((toPlain(source.options) as Record<string, Plain>).mirrors ?? {}) as Record<string, { type?: string; url?: string }>;
      for (const [checksum, item] of Object.entries(items)) {
        if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
        const mirror = typeof item.mirror === 'string' ? mirrors[item.mirror] : undefined;
        if (mirror?.type === 'baseurl' && typeof mirror.url === 'string' && typeof item.path === 'string') {
          locations.set(checksum, `${mirror.url.replace(/\/+$/, '')}/${item.path.replace(/^\/+/, '')}`);
        }
      }
    }
  }
  return locations;
}

/** Each source item a stage input references, with its metadata (`rpm.nevra`, `deb.package`…). */
function inputReferences(pipeline: Pipeline): Map<string, Record<string, Plain>> {
  const refs = new Map<string, Record<string, Plain>>();
  for (const stage of pipeline.stages) {
    for (const input of stage.inputs) {
      if (input.origin !== 'org.osbuild.source') continue;
      for (const [checksum, options] of input.references) {
        if (checksum === null) continue;
        const plain = options === null ? {} : (toPlain(options) as Record<string, Plain>);
        const metadata = plain && typeof plain === 'object' && !Array.isArray(plain) && plain.metadata && typeof plain.metadata === 'object' && !Array.isArray(plain.metadata) ? (plain.metadata as Record<string, Plain>) : {};
        refs.set(checksum, metadata);
      }
    }
  }
  return refs;
}

const enc = (s: string) => encodeURIComponent(s);

function debPurl(name: string, version: string, arch: string): string {
  return `pkg:deb/debian/${enc(name)}@${enc(version)}?arch=${enc(arch)}`;
}

function rpmPurl(name: string, version: string, epoch: string | null, arch: string): string {
  return `pkg:rpm/${enc(name)}@${enc(version)}?arch=${enc(arch)}${epoch && epoch !== '0' ? `&epoch=${enc(epoch)}` : ''}`;
}

const hex = (checksum: string | null): string | null => (checksum && /^sha256:[0-9a-f]{64}$/.test(checksum) ? checksum.slice(7) : null);

/** An rpm's name-version-release.arch, as file names and NEVRAs (without the epoch) write it. */
const nvra = (name: string, version: string, release: string, arch: string) => `${name}-${version}-${release}.${arch}`;

/**
 * The packages of each export, from the metadata of the stages that
 * installed them (read from the store for cached stages): per content
 * pipeline the last Debian listing (every installed package; earlier
 * stages' listings only add checksums) and the last rpm listing. Checksums
 * are the pinned source items; download locations the sources' URLs.
 */
export function collectSbom(manifest: Manifest, manifestName: string, records: readonly StageMetadataRecord[], exportNames: readonly string[]): SbomInput {
  const locations = sourceLocations(manifest);
  const exports: SbomExport[] = [];
  for (const exportName of exportNames) {
    const byPurl = new Map<string, SbomPackage>();
    for (const pipeline of contentPipelines(manifest, exportName)) {
      const refs = inputReferences(pipeline);
      // rpm: the pinned files by NVRA, from the references' metadata or the file name of the URL.
      const rpmFiles = new Map<string, string>();
      for (const [checksum, metadata] of refs) {
        const nevra = typeof metadata['rpm.nevra'] === 'string' ? metadata['rpm.nevra'].replace(/-\d+:/, '-') : null;
        if (nevra) rpmFiles.set(nevra, checksum);
        const url = locations.get(checksum);
        const file = url ? /([^/]+)\.rpm$/.exec(url)?.[1] : undefined;
        if (file) rpmFiles.set(decodeURIComponent(file), checksum);
      }
      const mine = records.filter((r) => r.pipeline === pipeline.name).sort((a, b) => a.index - b.index);
      const listings = mine.map((r) => (r.metadata && typeof r.metadata === 'object' && Array.isArray((r.metadata as { packages?: unknown }).packages) ? ((r.metadata as { packages: Record<string, unknown>[] }).packages) : null)).filter((p): p is Record<string, unknown>[] => p !== null);
      const debListings = listings.filter((l) => l.length > 0 && typeof l[0]!.architecture === 'string' && !('release' in l[0]!));
      const rpmListings = listings.filter((l) => l.length > 0 && typeof l[0]!.release === 'string');
      const debChecksums = new Map<string, string>();
      for (const listing of debListings) for (const p of listing) if (typeof p.checksum === 'string') debChecksums.set(`${p.name}\t${p.version}\t${p.architecture}`, p.checksum);
      const lastDeb = debListings.at(-1) ?? [];
      for (const p of lastDeb) {
        const name = String(p.name);
        const version = String(p.version);
        const arch = String(p.architecture);
        const checksum = debChecksums.get(`${name}\t${version}\t${arch}`) ?? null;
        const purl = debPurl(name, version, arch);
        byPurl.set(purl, {
          kind: 'deb',
          name,
          version,
          epoch: null,
          arch,
          source: typeof p.source === 'string' ? { name: p.source, version: typeof p.source_version === 'string' ? p.source_version : version } : null,
          sha256: hex(checksum),
          downloadLocation: checksum ? (locations.get(checksum) ?? null) : null,
          license: null,
          purl,
        });
      }
      for (const p of rpmListings.at(-1) ?? []) {
        const name = String(p.name);
        const version = `${p.version}-${p.release}`;
        const epoch = typeof p.epoch === 'string' ? p.epoch : null;
        const arch = typeof p.arch === 'string' ? p.arch : 'noarch';
        const checksum = rpmFiles.get(nvra(name, String(p.version), String(p.release), arch)) ?? null;
        const purl = rpmPurl(name, version, epoch, arch);
        byPurl.set(purl, {
          kind: 'rpm',
          name,
          version,
          epoch,
          arch,
          source: null,
          sha256: hex(checksum),
          downloadLocation: checksum ? (locations.get(checksum) ?? null) : null,
          license: typeof p.license === 'string' ? p.license : null,
          purl,
        });
      }
    }
    const pipelineId = manifest.pipelines.find((p) => p.name === exportName)?.id ?? null;
    exports.push({ name: exportName, pipelineId, packages: [...byPurl.values()].sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0)) });
  }
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const created = epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) : Math.floor(Date.now() / 1000);
  const namespaceId = createHash('sha256').update(JSON.stringify(exports.map((e) => [e.name, e.pipelineId]))).digest('hex');
  return { manifestName, exports, created, namespaceId };
}

/** A UUID (version 4 layout) from a digest: the same build gives the same serial number. */
export function uuidFrom(digest: string): string {
  const h = digest.slice(0, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16]!, 16) % 4]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
