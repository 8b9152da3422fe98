/** Whether this run is CI's (`CI=true`, as CI services and our `.ci/run` set it). */
export declare function onCi(): boolean;
/**
 * The reason a suite is skipped on this machine, or null to run it. A
 * developer's machine may lack a tool, root or loop devices, and the suite
 * then says so in its title. CI's machine is set up by `scripts/bootstrap`
 * to have everything, so there a reason to skip is a failure instead: the
 * suite fails to load, naming what is missing, and the boot, loop-device
 * and Debian-tree suites can never pass by not running.
 */
export declare function skipReason(reason: string | null): string | null;
