export interface XfsOptions {
  uuid: string;
  label?: string;
  agcount?: number;
}

/** mkfs.xfs's command line, as upstream's: `-m uuid=UUID [-L LABEL] [-d agcount=N] DEVICE`. */
export function mkfsXfsArguments(options: XfsOptions, device: string): string[] {
  const args = ['-m', `uuid=${options.uuid}`];
  if (options.label) args.push('-L', options.label);
  // Upstream skips 0 too, leaving the count to mkfs.xfs.
  if (options.agcount) args.push('-d', `agcount=${options.agcount}`);
  return [...args, device];
}
