import { renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Replaces `file` in one rename, so a reader never sees half a manifest. */
export function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** The document as the pin tools print it (two-space JSON and a newline), into `file` or to stdout. */
export function writeDocument(document: unknown, file: string | undefined): void {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (file) writeAtomically(file, text);
  else process.stdout.write(text);
}
