import { statSync } from 'node:fs';
/**
 * The path of the device the manifest names `name` in the stage's `devices`
 * (upstream's disk stages all use `device`); `role` says what the stage wants
 * it for, in the error when it is missing. A regular file serves too
 * (upstream's own tests use one), so only a missing path or a directory is
 * refused.
 */
export function devicePath(args, name, role) {
    const device = args.devices[name];
    if (!device) {
        const names = Object.keys(args.devices).join(', ') || 'none';
        throw new Error(`no device named "${name}" (devices: ${names}); ${role} is devices.${name}, e.g. an org.osbuild.loopback device`);
    }
    let isDirectory;
    try {
        isDirectory = statSync(device.path).isDirectory();
    }
    catch {
        throw new Error(`devices.${name}: ${device.path} does not exist`);
    }
    if (isDirectory)
        throw new Error(`devices.${name}: ${device.path} is a directory, not a device`);
    return device.path;
}
//# sourceMappingURL=device-path.js.map