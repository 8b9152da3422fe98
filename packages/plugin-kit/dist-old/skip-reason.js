/** Whether this run is CI's (`CI=true`, as CI services and our `.ci/run` set it). */
export function onCi() {
    const value = process.env.CI ?? '';
    return value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
/**
 * The reason a suite is skipped on this machine, or null to run it. A
 * developer's machine may lack a tool, root or loop devices, and the suite
 * then says so in its title. CI's machine is set up by `scripts/bootstrap`
 * to have everything, so there a reason to skip is a failure instead: the
 * suite fails to load, naming what is missing, and the boot, loop-device
 * and Debian-tree suites can never pass by not running.
 */
export function skipReason(reason) {
    if (reason !== null && onCi()) {
        throw new Error(`this suite must run on CI, but this machine lacks what it needs: ${reason} (scripts/bootstrap should have installed it)`);
    }
    return reason;
}
//# sourceMappingURL=skip-reason.js.map