export { parseDescription, substitute, type Description, type Repository } from './description.js';
export { dnfPython, runDnfDepsolve, type DnfPackage, type DnfRequest } from './dnf-depsolve.js';
export {
  fillTemplate,
  librepoSource,
  METADATA,
  PACKAGES_PLACEHOLDER,
  packageReferences,
  pinDocument,
  REPODATA_PLACEHOLDER,
  repodataReferences,
  templateNames,
  type LibrepoSource,
  type Reference,
} from './manifest.js';
export { parseMetalink, type Metalink } from './metalink.js';
export { parseMirrorlist } from './mirrorlist.js';
export { nevra, type Nevra } from './nevra.js';
export { baseArch, pin, type PinnedPackage, type PinnedRepository, type PinnedSet, type PinOptions } from './pin.js';
export { metadataForDnf, parseRepomd, type RepomdEntry } from './repomd.js';
export type { PinnedFile } from './repository-metadata.js';
