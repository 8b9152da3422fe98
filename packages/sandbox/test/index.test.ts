import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports exactly the public API', () => {
  expect(Object.keys(api).sort()).toEqual([
    'OsbuildError',
    'SANDBOX_PATHS',
    'STAGE_CAPABILITIES',
    'capabilityMask',
    'checkSandboxTools',
    'checkTools',
    'clearModuleBindsCache',
    'createBuildSandbox',
    'entryLoader',
    'heldCapabilities',
    'hostNodeOptions',
    'isOsbuildError',
    'isTypeScriptEntry',
    'mountPoints',
    'resolveModuleBinds',
    'runInSandbox',
    'stageCapabilities',
    'sweepSandboxes',
  ]);
});

it("tags its errors so core's isOsbuildError recognises them", () => {
  const error = new api.OsbuildError('E_SANDBOX', 'x', { hint: 'y' });
  expect(api.isOsbuildError(error)).toBe(true);
  expect((error as unknown as Record<symbol, unknown>)[Symbol.for('osbuild-ts.error')]).toBe(true);
  expect(error).toMatchObject({ code: 'E_SANDBOX', hint: 'y', details: {} });
});
