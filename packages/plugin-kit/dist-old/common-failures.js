// The failures every stage of a kind must report the same way, as vitest
// tests a stage package adds with one call (for @osbuild-ts/plugin-kit/stage-cases).
import { expect, it } from 'vitest';
import { deviceArgument } from './loop-devices.js';
import { runStageLocally } from './run-stage-locally.js';
import { testdir } from './test-dir.js';
/**
 * A stage that writes to `devices.device` fails naming the devices it got and
 * `role` when there is none, and naming the path when it does not exist
 * (the words of plugin-kit's devicePath). `others`: devices of other names
 * the stage is given instead, which the message must list.
 */
export function itFailsWithoutItsDevice(run) {
    it('fails clearly without a device, or with one that is not there', async () => {
        const tree = testdir('device-failures');
        const others = run.others ?? [];
        const devices = Object.fromEntries(others.map((name) => [name, { path: '/dev/null' }]));
        const none = await runStageLocally({ entry: run.entry, tree, options: run.options, devices });
        expect(none.exitCode).toBe(1);
        const listed = others.length > 0 ? others.join(', ') : 'none';
        expect(none.output.trim()).toBe(`no device named "device" (devices: ${listed}); ${run.role} is devices.device, e.g. an org.osbuild.loopback device`);
        const gone = await runStageLocally({ entry: run.entry, tree, options: run.options, devices: deviceArgument('/dev/osbuild-no-such-loop') });
        expect(gone.exitCode).toBe(1);
        expect(gone.output.trim()).toBe('devices.device: /dev/osbuild-no-such-loop does not exist');
    });
}
/** With nothing on PATH the stage fails before doing anything, naming `tool` and the `package` that ships it (plugin-kit's requireTool). */
export function itNamesItsMissingTool(run) {
    it('fails naming the tool and its package', async () => {
        const tree = run.tree?.() ?? testdir('tool-missing');
        const result = await runStageLocally({ entry: run.entry, tree, options: run.options, env: { PATH: '/nonexistent' } });
        expect(result.exitCode).toBe(1);
        expect(result.output).toBe(`${run.tool} is not in the build root (searched /nonexistent); it comes with the package "${run.package}"\n`);
    });
}
//# sourceMappingURL=common-failures.js.map