// `@osbuild-ts/assembler-qemu/assemble`: the assembly for modules that reuse it.
export { assemble, type AssembleInput } from './assemble.js';
export { assembleTreeInput } from './assemble-tree-input.js';
export type { QemuOptions } from './options.js';
