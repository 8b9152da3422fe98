// Kept at this path: @osbuild-ts/assembler-qemu/epoch is exported.
export { sourceEpoch } from '@osbuild-ts/image-kit';
