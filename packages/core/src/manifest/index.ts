export type {
  InputOrigin,
  LoadOptions,
  Manifest,
  ManifestVersion,
  Pipeline,
  Runner,
  SourceSpec,
  Stage,
  StageDevice,
  StageInput,
  StageMount,
} from './model.js';
export { detectVersion } from './detect-version.js';
export { loadManifest } from './load.js';
export { describeManifest } from './describe.js';
export { getPipeline, resolveExports, matchCheckpoints, type ResolvedExport } from './select.js';
export { fnmatch, compileFnmatch } from './fnmatch.js';
export { inputId, deviceId, mountId, stageId, type StageIdParts } from './ids.js';
export {
  RUNNER_FILES,
  parseRunnerName,
  resolveRunner,
  parseOsRelease,
  hostRunnerName,
  hostRunner,
} from './runners.js';
export { missingSourceReferences, type MissingSource } from './missing-sources.js';
