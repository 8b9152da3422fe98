export * from './errors.js';
export type { PyJson, PyObject, JsonPath } from './json/types.js';
export * from './json/index.js';
export * from './manifest/index.js';
export * from './plugins/index.js';
export * from './validate/index.js';
