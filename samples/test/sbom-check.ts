// What the samples check of `osbuild --sbom`: the SBOM lists exactly the
// packages the tree's own package database lists (dpkg-query / rpm -qa),
// each with the checksum the manifest pinned for it and the URL its source
// fetches it from; the SPDX and CycloneDX documents pass the schema checks
// the CLI's tests use.
import { execFileSync } from 'node:child_process';
import { cyclonedxValidator, spdxProblems } from '../../packages/cli/test/sbom-schemas.js';

interface Reference {
  id: string;
  options?: { metadata?: Record<string, string> };
}

type Doc = Record<string, unknown>;

/** Every source reference of every stage input in the manifest, with its metadata. */
function references(manifest: Doc): Reference[] {
  const out: Reference[] = [];
  for (const p of manifest.pipelines as { stages?: { inputs?: Record<string, { references?: unknown }> }[] }[]) {
    for (const stage of p.stages ?? []) {
      for (const input of Object.values(stage.inputs ?? {})) {
        const refs = input.references;
        if (Array.isArray(refs)) out.push(...(refs.filter((r) => typeof r === 'object') as Reference[]));
        else if (refs && typeof refs === 'object') for (const [id, options] of Object.entries(refs)) out.push({ id, options: options as Reference['options'] });
      }
    }
  }
  return out;
}

/** Where the manifest's sources fetch each item (curl URLs, librepo baseurl + path). */
function locations(manifest: Doc): Map<string, string> {
  const map = new Map<string, string>();
  const sources = (manifest.sources ?? {}) as Record<string, { items?: Record<string, unknown>; options?: { mirrors?: Record<string, { type: string; url: string }> } }>;
  for (const [id, item] of Object.entries(sources['org.osbuild.curl']?.items ?? {})) map.set(id, typeof item === 'string' ? item : (item as { url: string }).url);
  const librepo = sources['org.osbuild.librepo'];
  for (const [id, item] of Object.entries(librepo?.items ?? {})) {
    const { path, mirror } = item as { path: string; mirror: string };
    const m = librepo?.options?.mirrors?.[mirror];
    if (m?.type === 'baseurl') map.set(id, `${m.url.replace(/\/+$/, '')}/${path}`);
  }
  return map;
}

interface Listed {
  key: string;
  sha256: string | null;
  location: string;
}

/** The SPDX document's packages of one purl type, by `name\tversion\tarch`. */
function spdxPackages(spdx: Doc, type: 'deb' | 'rpm'): Map<string, Listed> {
  const map = new Map<string, Listed>();
  for (const p of spdx.packages as { name: string; versionInfo: string; downloadLocation: string; checksums?: { checksumValue: string }[]; externalRefs?: { referenceLocator: string }[] }[]) {
    const purl = p.externalRefs?.[0]?.referenceLocator ?? '';
    if (!purl.startsWith(`pkg:${type}/`)) continue;
    const arch = decodeURIComponent(/[?&]arch=([^&]+)/.exec(purl)?.[1] ?? '');
    map.set(`${p.name}\t${p.versionInfo}\t${arch}`, { key: purl, sha256: p.checksums?.[0]?.checksumValue ?? null, location: p.downloadLocation });
  }
  return map;
}

function compare(kind: string, installed: string[], listed: Map<string, Listed>, pinned: Map<string, string>, where: Map<string, string>, cyclonedx: Doc, spdx: Doc): string[] {
  const problems: string[] = [];
  const inTree = new Set(installed);
  for (const key of inTree) if (!listed.has(key)) problems.push(`${kind} ${key.replace(/\t/g, ' ')}: installed in the tree, not in the SBOM`);
  for (const key of listed.keys()) if (!inTree.has(key)) problems.push(`${kind} ${key.replace(/\t/g, ' ')}: in the SBOM, not installed in the tree`);
  for (const [key, p] of listed) {
    const [name, version] = key.split('\t');
    const checksum = pinned.get(`${name}\t${version}`);
    if (checksum === undefined) problems.push(`${kind} ${name} ${version}: the manifest pinned no file for it`);
    else if (p.sha256 !== checksum.replace(/^sha256:/, '')) problems.push(`${kind} ${name} ${version}: SBOM checksum ${p.sha256}, pinned ${checksum}`);
    else if (p.location !== where.get(checksum)) problems.push(`${kind} ${name} ${version}: SBOM location ${p.location}, the source fetches ${where.get(checksum)}`);
  }
  problems.push(...spdxProblems(spdx));
  const validate = cyclonedxValidator();
  if (!validate(cyclonedx)) problems.push(`CycloneDX: ${JSON.stringify(validate.errors).slice(0, 2000)}`);
  const cdx = new Set(((cyclonedx.components ?? []) as { purl?: string }[]).flatMap((c) => (c.purl?.startsWith(`pkg:${kind}/`) ? [c.purl] : [])));
  const fromSpdx = new Set([...listed.values()].map((p) => p.key));
  if (cdx.size !== fromSpdx.size || [...cdx].some((p) => !fromSpdx.has(p))) problems.push(`CycloneDX lists ${cdx.size} ${kind} packages, SPDX ${fromSpdx.size}, or others`);
  return problems;
}

export interface SbomCheck {
  manifest: Doc;
  tree: string;
  spdx: Doc;
  cyclonedx: Doc;
}

/** Problems (none: []) between a Debian tree's dpkg database, the manifest's pinned .debs and the SBOMs. */
export function debSbomMatchesTree({ manifest, tree, spdx, cyclonedx }: SbomCheck): string[] {
  const installed = execFileSync('dpkg-query', ['-W', `--admindir=${tree}/var/lib/dpkg`, '--showformat=${Package}\\t${Version}\\t${Architecture}\\n'], { encoding: 'utf8' }).trim().split('\n');
  const pinned = new Map<string, string>();
  for (const r of references(manifest)) {
    const m = r.options?.metadata;
    if (m?.['deb.package'] && m['deb.version']) pinned.set(`${m['deb.package']}\t${m['deb.version']}`, r.id);
  }
  return compare('deb', installed, spdxPackages(spdx, 'deb'), pinned, locations(manifest), cyclonedx, spdx);
}

/** The same for an rpm tree: `rpm -qa --root`, the references' rpm.nevra. */
export function rpmSbomMatchesTree({ manifest, tree, spdx, cyclonedx, dbpath }: SbomCheck & { dbpath: string }): string[] {
  const installed = execFileSync('rpm', ['--root', tree, '--dbpath', dbpath, '-qa', '--qf', '%{NAME}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\t%{ARCH}\\n'], { encoding: 'utf8' }).trim().split('\n');
  const pinned = new Map<string, string>();
  for (const r of references(manifest)) {
    const nevra = r.options?.metadata?.['rpm.nevra'];
    const m = nevra ? /^(.+)-(?:(\d+):)?([^-]+-[^-]+)\.([^.]+)$/.exec(nevra) : null;
    if (m) pinned.set(`${m[1]}\t${m[2] && m[2] !== '0' ? `${m[2]}:` : ''}${m[3]}`, r.id);
  }
  return compare('rpm', installed, spdxPackages(spdx, 'rpm'), pinned, locations(manifest), cyclonedx, spdx);
}
