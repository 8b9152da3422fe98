/**
 * The OFD-lock call of fs-native-extensions, loaded cheaply. The package's
 * entry finds its prebuilt addon through require-addon and bare-addon-resolve,
 * which costs 15–30 ms at every start (most of a warm build's store work);
 * requiring the prebuild for this platform directly costs under 1 ms. Any
 * other platform (musl, no prebuild, a future layout of the package) goes
 * through the package's own entry, as before.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type fsxType from 'fs-native-extensions';

interface Binding {
  /** Throws EAGAIN when another fd holds a conflicting lock. */
  tryLock(fd: number, offset: number, length: number, exclusive: boolean): void;
}

export type TryLock = (fd: number, shared: boolean) => boolean;

let cached: TryLock | undefined;

export function loadTryLock(): TryLock {
  return (cached ??= load());
}

function load(): TryLock {
  const require = createRequire(import.meta.url);
  try {
    const dir = dirname(require.resolve('fs-native-extensions/package.json'));
    const binding = require(join(dir, 'prebuilds', `${process.platform}-${process.arch}`, 'fs-native-extensions.node')) as Binding;
    if (typeof binding.tryLock !== 'function') throw new Error('no tryLock in the prebuild');
    return (fd, shared) => {
      try {
        binding.tryLock(fd, 0, 0, !shared);
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'EAGAIN') return false;
        throw error;
      }
    };
  } catch {
    const fsx = require('fs-native-extensions') as typeof fsxType;
    return (fd, shared) => fsx.tryLock(fd, { shared });
  }
}
