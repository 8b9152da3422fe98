import { machine } from 'node:os';

/** osbuild's user agent for every download: `osbuild (Linux.<arch>; https://osbuild.org/)`. */
export function userAgent(): string {
  return `osbuild (Linux.${machine()}; https://osbuild.org/)`;
}
