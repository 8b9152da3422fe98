export { STAGE_CAPABILITIES, capabilityMask, heldCapabilities, stageCapabilities } from './capabilities.js';
export { OsbuildError, isOsbuildError, type OsbuildErrorOptions, type SandboxErrorCode } from './errors.js';
export { clearModuleBindsCache, resolveModuleBinds, type ModuleBinds } from './module-binds.js';
export { mountPoints } from './mounts.js';
export type { OutputHandler, OutputStream } from './output.js';
export { createBuildSandbox } from './prewarm.js';
export { entryLoader, hostNodeOptions, isTypeScriptEntry, type EntryLoader } from './typescript-entry.js';
export { runInSandbox, type SandboxSpec } from './run.js';
export { sweepSandboxes } from './sweep.js';
export { checkSandboxTools, checkTools, type SandboxTools, type ToolRequirement } from './tools.js';
export {
  SANDBOX_PATHS,
  type Bind,
  type BuildSandbox,
  type BuildSandboxOptions,
  type Runner,
  type RunnerSpec,
  type SandboxResult,
  type StageInput,
  type StageMounts,
  type StartSpec,
  type Symlink,
} from './types.js';
