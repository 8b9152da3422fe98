export { aavmf, bootToLogin, ovmf } from './boot.js';
export type { BootOptions, BootResult } from './boot.js';
export { mkfsIntoPartition } from './partition-fs.js';
export type { PartitionFs } from './partition-fs.js';
