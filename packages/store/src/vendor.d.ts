// fs-native-extensions ships no types; only the calls we make (lock.ts, tests) are declared.
declare module 'fs-native-extensions' {
  interface LockOptions {
    shared?: boolean;
  }
  const fsx: {
    tryLock(fd: number, options?: LockOptions): boolean;
    unlock(fd: number): void;
    getAttrSync(fd: number, name: string): Buffer | null;
  };
  export default fsx;
}
