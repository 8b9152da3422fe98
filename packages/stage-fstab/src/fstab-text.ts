import type { Filesystem } from './fstab-options.js';

/**
 * /etc/fstab as upstream writes it: one line per filesystem, in order,
 * `SPEC<TAB>path<TAB>vfs_type<TAB>options<TAB>freq<TAB>passno`, where SPEC
 * is the first of `UUID=uuid`, `LABEL=label`, `PARTLABEL=partlabel` or the
 * device path that is given (an empty string counts as not given).
 */
export function fstabText(filesystems: readonly Filesystem[]): string {
  return filesystems
    .map((fs, index) => {
      const fields = [fsSpec(fs, index), fs.path, fs.vfs_type ?? 'none', fs.options ?? 'defaults', fs.freq ?? 0, fs.passno ?? 0];
      return `${fields.join('\t')}\n`;
    })
    .join('');
}

function fsSpec(fs: Filesystem, index: number): string {
  if (fs.uuid) return `UUID=${fs.uuid}`;
  if (fs.label) return `LABEL=${fs.label}`;
  if (fs.partlabel) return `PARTLABEL=${fs.partlabel}`;
  if (fs.device) return fs.device;
  throw new Error(`filesystems[${index}] (${fs.path}): needs one of uuid, label, partlabel or device`);
}
