// @osbuild-ts/plugin-kit/testing: what a plugin's own tests use. testdir and
// the loop-device helpers register vitest hooks (vitest is an optional peer).
export { runStageLocally } from './run-stage-locally.js';
export { runStageOffline } from './run-stage-offline.js';
export { hasCommand } from './has-command.js';
export { onCi, skipReason } from './skip-reason.js';
export { testdir } from './test-dir.js';
export { filesInput, sampleBytes } from './files-input.js';
export { richTree, treeListing } from './tree-listing.js';
export { exportDigests, inlineTreeStage, pipelineFileInput, runOsbuild, treeInput, treePipeline } from './run-osbuild.js';
export { bytesAt, deviceArgument, loopDevicesUnavailable, sparseFile, useLoopDevices } from './loop-devices.js';
export { treeDiff, TIMESTAMPED_FILES } from './tree-diff.js';
export { copyTree, debianTreeTarball, debianTreeUnavailable, makeDebianTree } from './debian-tree.js';
export { sandboxArguments } from './sandbox-arguments.js';
export { buildRpms, busyboxStatic } from './test-rpms.js';
//# sourceMappingURL=testing.js.map