/** What names an RPM: dnf's answer and the pinned package alike. */
export interface Nevra {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: string;
}

/** `name-epoch:version-release.arch`, the epoch always written (`rpm.nevra` metadata, messages). */
export function nevra(p: Nevra): string {
  return `${p.name}-${p.epoch}:${p.version}-${p.release}.${p.arch}`;
}
