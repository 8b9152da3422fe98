// Schema tests for a plugin package (@osbuild-ts/plugin-kit/schema-cases):
// documents its schema must accept and must refuse, each checked the way the
// engine validates a manifest entry — with core's own preparation of the
// schema file and its ajv options. Needs ajv and @osbuild-ts/core (optional
// peer dependencies: a plugin's dev dependencies).
import { createRequire } from 'node:module';
import { VALIDATION_AJV_OPTIONS } from '@osbuild-ts/core/plugin-schema';
import { loadPluginSchema } from './plugin-schema.js';
/** At most this much of a document is quoted in a failure message. */
const SHOWN_LENGTH = 160;
/**
 * The schema checks for the plugin package at or above `dir` (a test's
 * `import.meta.dirname` will do): its `osbuild.schema` file, so a schema
 * generated into `dist/` is the one tested.
 */
export function schemaCases(dir) {
    const schema = loadPluginSchema(dir);
    const label = `${schema.packageName} (${schema.kind} ${schema.name})`;
    let ajv;
    const compiled = new Map();
    const validator = (part) => {
        if (!schema.parts.includes(part))
            throw new Error(`${label}: a ${schema.kind} schema has no "${part}" (it has: ${schema.parts.join(', ')})`);
        let validate = compiled.get(part);
        if (validate === undefined) {
            ajv ??= new (loadAjv())({ ...VALIDATION_AJV_OPTIONS });
            try {
                validate = ajv.compile(schema.schemas[part] ?? {}); // an absent part accepts anything, as in a build
            }
            catch (cause) {
                throw new Error(`${label}: "${part}" in ${schema.path} does not compile: ${cause.message}`, { cause });
            }
            compiled.set(part, validate);
        }
        return validate;
    };
    const errors = (part, document) => {
        const validate = validator(part);
        return validate(asManifestJson(document)) ? [] : [...(validate.errors ?? [])];
    };
    /** One case of a list: its number and the document, short enough to read. */
    const caseName = (part, index, document) => {
        const text = JSON.stringify(document) ?? String(document);
        return `${part} case ${index + 1}: ${text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH - 1)}…` : text}`;
    };
    return {
        ...schema,
        validator,
        errors,
        accepts(part, documents) {
            const refused = documents.flatMap((document, index) => {
                const found = errors(part, document);
                return found.length === 0 ? [] : [`${caseName(part, index, document)}\n    ${reasons(part, found)}`];
            });
            if (refused.length > 0) {
                throw new Error(`${label}: "${part}" refused ${refused.length} of ${documents.length} documents it should accept:\n  ${refused.join('\n  ')}`);
            }
        },
        refuses(part, documents) {
            const found = documents.map((document) => errors(part, document));
            const accepted = documents.flatMap((document, index) => (found[index].length === 0 ? [caseName(part, index, document)] : []));
            if (accepted.length > 0) {
                const absent = schema.schemas[part] === undefined ? ` (${schema.path} has no "${part}", so anything is accepted there)` : '';
                throw new Error(`${label}: "${part}" accepted ${accepted.length} of ${documents.length} documents it should refuse${absent}:\n  ${accepted.join('\n  ')}`);
            }
            return found;
        },
    };
}
/** A document as a manifest carries it: JSON, so `undefined` members are absent. */
function asManifestJson(document) {
    const text = JSON.stringify(document);
    return text === undefined ? undefined : JSON.parse(text);
}
/** ajv's messages, each at its place in the part (`options/paths/0`). */
function reasons(part, errors) {
    return errors.map((e) => `${part}${e.instancePath} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${String(e.params['additionalProperty'])})` : ''}`).join('; ');
}
function loadAjv() {
    try {
        return createRequire(import.meta.url)('ajv').Ajv;
    }
    catch (cause) {
        throw new Error('@osbuild-ts/plugin-kit/schema-cases needs ajv 8: add "ajv" to your package\'s devDependencies', { cause });
    }
}
//# sourceMappingURL=schema-cases.js.map