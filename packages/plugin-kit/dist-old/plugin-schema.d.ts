import { type SchemaPart } from '@osbuild-ts/core/plugin-schema';
export type { SchemaPart };
export interface PluginSchema {
    /** The package's name and `osbuild.kind`/`osbuild.name`, for messages. */
    packageName: string;
    kind: string;
    name: string;
    /** Where `osbuild.schema` points. */
    path: string;
    /** The schema file as written. */
    file: Record<string, unknown>;
    /** The parts this kind of plugin has. */
    parts: readonly SchemaPart[];
    /** Each part the file declares, with the shared definitions and draft-4 bounds rewritten; an absent part accepts anything. */
    schemas: Partial<Record<SchemaPart, object>>;
}
/**
 * Reads the schema of the plugin package at or above `dir` (the nearest
 * package.json with an `osbuild` field): the file `osbuild.schema` names,
 * checked and prepared as the engine does before it compiles it.
 */
export declare function loadPluginSchema(dir: string): PluginSchema;
