export { parseDescription, VARIANTS, type Description, type Variant } from './description.js';
export { pin, defaultCacheDir, type PinOptions, type PinnedSet } from './pin.js';
export type { PinnedPackage } from './resolve.js';
export { hostSource, hostArchitecture, type HostSource } from './host-apt.js';
export { curlItems, references, pinDocument, fillTemplate, templateNames, checksumOf, PLACEHOLDER, type CurlItems, type Reference } from './manifest.js';
export { METADATA } from './metadata.js';
export { fetchDebs } from './fetch-debs.js';
export { run } from './cli.js';
