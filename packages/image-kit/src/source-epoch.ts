// Moved to plugin-kit, where stages that do not build images need it too.
export { sourceEpoch } from '@osbuild-ts/plugin-kit';
