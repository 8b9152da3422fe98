export { ARGUMENTS_PATH, META_PATH, readArguments } from './arguments.js';
export { writeMetadata } from './metadata.js';
export { resolveLocation, locationParts, refuseLinksOut } from './paths.js';
export { devicePath } from './device-path.js';
export { deviceGeometry } from './device-geometry.js';
export { runTool, captureTool } from './run-tool.js';
export { requireTool } from './require-tool.js';
export { removeIfPresent } from './remove-if-present.js';
export { sourceEpoch } from './source-epoch.js';
export { reproducibleTarArguments } from './reproducible-tar.js';
export { newestMtime } from './newest-mtime.js';
export { outputPath, singleFileInput } from './single-file-input.js';
export { runStage } from './run-stage.js';
//# sourceMappingURL=index.js.map