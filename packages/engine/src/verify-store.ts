/** `osbuild store verify`: the store's full integrity check, for the CLI (which does not depend on the store itself). */
import { openStore, type VerifyReport } from '@osbuild-ts/store';

export type { VerifyReport };

export async function verifyStore(path: string, options: { repair?: boolean } = {}): Promise<VerifyReport[]> {
  const store = await openStore(path);
  try {
    return await store.verify(options);
  } finally {
    await store.close();
  }
}
