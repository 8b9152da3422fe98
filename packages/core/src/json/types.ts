/**
 * A JSON value as Python's `json` module holds it, so that osbuild's ids and
 * printed documents can be reproduced byte for byte:
 * - ints are `bigint` (arbitrary precision), floats are `number` (doubles,
 *   including NaN and ±Infinity);
 * - objects are `Map`s: insertion order is kept, integer-like keys stay where
 *   they were written;
 * - strings are JS strings (UTF-16 code units, lone surrogates allowed).
 */
export type PyJson = null | boolean | string | bigint | number | PyJson[] | PyObject;
export type PyObject = Map<string, PyJson>;

/** A location in a JSON document: keys and array indices from the root. */
export type JsonPath = ReadonlyArray<string | number>;
