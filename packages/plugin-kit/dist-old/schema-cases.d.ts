import type { ErrorObject, ValidateFunction } from 'ajv';
import { type PluginSchema, type SchemaPart } from './plugin-schema.js';
export type { PluginSchema, SchemaPart };
export interface SchemaCases extends PluginSchema {
    /** The part's validator, compiled as the engine compiles it (once). */
    validator(part: SchemaPart): ValidateFunction;
    /** ajv's errors for `document` as a manifest would carry it; empty when it is valid. */
    errors(part: SchemaPart, document: unknown): ErrorObject[];
    /** Throws, naming every document the part refuses and why. */
    accepts(part: SchemaPart, documents: readonly unknown[]): void;
    /** Throws, naming every document the part accepts; returns each document's errors, in order. */
    refuses(part: SchemaPart, documents: readonly unknown[]): ErrorObject[][];
}
/**
 * The schema checks for the plugin package at or above `dir` (a test's
 * `import.meta.dirname` will do): its `osbuild.schema` file, so a schema
 * generated into `dist/` is the one tested.
 */
export declare function schemaCases(dir: string): SchemaCases;
