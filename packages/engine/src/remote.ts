import type { Store } from '@osbuild-ts/store';

/**
 * A shared cache of store objects (`@osbuild-ts/remote-cache` implements
 * it). Neither method may fail the build: problems are the cache's to report.
 */
export interface RemoteObjects {
  /** Pulls the deepest of `keys` (a pipeline's stages missing here, in order) found remotely, with the objects below it; the keys imported. */
  pull(store: Store, keys: readonly string[]): Promise<string[]>;
  /** Pushes a committed object in the background; resolves true once it was uploaded. */
  push(store: Store, key: string): Promise<boolean>;
  /** Source items by checksum: pulls those the cache has into the store's source cache (the checksums pulled). */
  pullSources?(store: Store, contentType: string, checksums: readonly string[]): Promise<string[]>;
  /** Pushes downloaded source items in the background. */
  pushSources?(store: Store, contentType: string, checksums: readonly string[]): void;
  /** Waits for the pushes started so far (before the store closes). */
  flush(): Promise<void>;
}
