export { buildManifest, type BuildOptions, type BuildResult } from './build.js';
export { planBuild, cacheKey, dependencyNames, CACHE_KEY_VERSION, type Plan, type PlannedPipeline, type PlannedStage } from './plan.js';
export type { BuildEvent, EngineEvent, EventSink } from './events.js';
export type { StageRecord } from './run-pipeline.js';
export { stageFailedError, type StageFailure } from './stage-failed.js';
export {
  fetchSources,
  prepareSourceInput,
  readSourceOverrides,
  sourcesResultDocument,
  type FetchSourcesOptions,
  type FetchSourcesResult,
  type ItemResult,
  type SourceEvent,
  type SourceOverrides,
} from './sources/index.js';
export { setLockedContent, lockedContent } from './locked-content.js';
export { verifyStore, type VerifyReport } from './verify-store.js';
export type { RemoteObjects } from './remote.js';
