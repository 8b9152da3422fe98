import { readFile } from 'node:fs/promises';

/** The arguments document as bytes: an object as JSON, a string untouched (the engine may hand over py-json). */
export function serialiseArguments(document: unknown): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

/** What a stage wrote to /run/osbuild/meta: nothing (null), JSON, or an error to report. */
export async function readMetadata(file: string): Promise<{ metadata: unknown; metadataError?: string }> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text.trim() === '') return { metadata: null };
  try {
    return { metadata: JSON.parse(text) as unknown };
  } catch (error) {
    return { metadata: null, metadataError: `/run/osbuild/meta is not JSON: ${(error as Error).message}` };
  }
}
