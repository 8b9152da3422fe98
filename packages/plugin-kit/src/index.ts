export { ARGUMENTS_PATH, META_PATH, readArguments } from './arguments.js';
export type { StageArguments, InputArgument, DeviceArgument, MountArgument } from './arguments.js';
export { writeMetadata } from './metadata.js';
export { resolveLocation } from './paths.js';
export { runTool, captureTool } from './run-tool.js';
export { requireTool } from './require-tool.js';
export { removeIfPresent } from './remove-if-present.js';
export type { ToolOptions } from './run-tool.js';
export { runStage } from './run-stage.js';
