export interface DeviceGeometry {
    /** Logical sector size in bytes: the unit of partition starts and sizes. */
    sectorSize: number;
    sectors: number;
}
/** The device's sector size and length; a regular file counts in 512-byte sectors, as sfdisk does. */
export declare function deviceGeometry(path: string): DeviceGeometry;
