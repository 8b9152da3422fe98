import { describe, expect, test } from 'vitest';
import { describeErrors } from '../../src/validate/describe-errors.js';
import { formatDottedPath } from '../../src/validate/format-path.js';
import { loadValidators } from '../../src/validate/validator-bundle.js';

/** Validates `data` against `schema` (compiled as validation does) and describes the errors. */
function check(schema: object | boolean, data: unknown): Array<[string, string]> {
  const { sets } = loadValidators([{ identity: ['describe-errors test', schema], schemas: () => ({ s: schema }) }], null);
  const validate = sets[0]?.['s'];
  if (validate === undefined) throw new Error('no validator');
  if (validate(data)) return [];
  return describeErrors(validate.errors ?? [], data, ['base']).map((i) => [formatDottedPath(i.path), i.message]);
}

describe('one message per keyword, saying what was expected and what was found', () => {
  test.each<[string, object | boolean, unknown, Array<[string, string]>]>([
    ['type', { type: 'array' }, 'sshd', [['.base', 'expected an array, got a string ("sshd")']]],
    ['several types', { type: ['string', 'integer'] }, null, [['.base', 'expected a string or an integer, got null']]],
    ['type in an array item', { items: { type: 'object' } }, [{}, 3], [['.base[1]', 'expected an object, got a number (3)']]],
    ['required', { required: ['hostname'] }, {}, [['.base', 'missing required property "hostname"']]],
    ['enum, one value', { enum: ['2'] }, '3', [['.base', 'expected "2", got a string ("3")']]],
    ['enum', { enum: ['gnu', 'posix'] }, 'tar', [['.base', 'expected one of "gnu", "posix", got a string ("tar")']]],
    ['const', { const: true }, false, [['.base', 'expected true, got a boolean (false)']]],
    ['pattern', { pattern: '^tree://' }, '/x', [['.base', 'expected a string matching ^tree://, got a string ("/x")']]],
    ['minLength counts code points', { minLength: 3 }, '😀😀', [['.base', 'expected at least 3 characters, got 2']]],
    ['maxLength', { maxLength: 1 }, 'ab', [['.base', 'expected at most 1 character, got 2']]],
    ['minimum', { minimum: 0 }, -1, [['.base', 'expected a number >= 0, got a number (-1)']]],
    ['exclusiveMaximum', { exclusiveMaximum: 10 }, 10, [['.base', 'expected a number < 10, got a number (10)']]],
    ['multipleOf', { multipleOf: 512 }, 1000, [['.base', 'expected a multiple of 512, got a number (1000)']]],
    ['minItems', { minItems: 1 }, [], [['.base', 'expected at least 1 item, got 0']]],
    ['additionalItems', { items: [{}], additionalItems: false }, [1, 2, 3], [['.base', 'expected at most 1 item, got 3']]],
    ['uniqueItems', { uniqueItems: true }, ['a', 'b', 'a'], [['.base', 'expected unique items, but items 0 and 2 are equal']]],
    ['minProperties', { minProperties: 1 }, {}, [['.base', 'expected at least 1 property, got 0']]],
    ['dependencies', { dependencies: { uefi: ['vendor'] } }, { uefi: 1 }, [['.base', 'property "uefi" requires property "vendor"']]],
    ['propertyNames', { propertyNames: { pattern: '^[a-z]+$' } }, { Abc: 1 }, [['.base', 'invalid property name "Abc": expected a string matching ^[a-z]+$']]],
    ['not required', { not: { required: ['paths'] } }, { paths: [] }, [['.base', 'property "paths" is not allowed here']]],
    ['false schema', { properties: { x: false } }, { x: 1 }, [['.base.x', 'no value is allowed here, got a number (1)']]],
    ['if/then reports only what then says', { if: { required: ['a'] }, then: { required: ['b'] } }, { a: 1 }, [['.base', 'missing required property "b"']]],
  ])('%s', (_, schema, data, expected) => {
    expect(check(schema, data)).toEqual(expected);
  });
});

describe('unexpected properties', () => {
  test('all of one object in one message, as osbuild does', () => {
    expect(check({ additionalProperties: false, properties: { a: {} } }, { x: 1, y: 2 })).toEqual([
      ['.base', 'unexpected properties "x", "y" (allowed: a)'],
    ]);
  });

  test('a guess when one is close', () => {
    expect(check({ additionalProperties: false, properties: { packages: {}, gpgkeys: {} } }, { pakages: [] })).toEqual([
      ['.base', 'unexpected property "pakages" (did you mean "packages"? allowed: packages, gpgkeys)'],
    ]);
  });

  test('names allowed by pattern, and the nothing-allowed case', () => {
    expect(check({ additionalProperties: false, patternProperties: { '^sha256:': {} } }, { md5: 1 })).toEqual([
      ['.base', 'unexpected property "md5" (allowed: names matching ^sha256:)'],
    ]);
    expect(check({ additionalProperties: false }, { a: 1 })).toEqual([['.base', 'unexpected property "a" (no properties are allowed here)']]);
  });

  test('long lists are cut', () => {
    const properties = Object.fromEntries('abcdefghijklmn'.split('').map((c) => [`${c}${c}${c}`, {}]));
    expect(check({ additionalProperties: false, properties }, { zzzzzzzz: 1 })[0]?.[1]).toBe(
      'unexpected property "zzzzzzzz" (allowed: aaa, bbb, ccc, ddd, eee, fff, ggg, hhh, iii, jjj, kkk, lll, …)',
    );
  });
});

describe('anyOf / oneOf', () => {
  const reference = {
    oneOf: [
      { type: 'string' },
      { type: 'object', additionalProperties: false, required: ['url'], properties: { url: { type: 'string' }, insecure: { type: 'boolean' } } },
    ],
  };

  test('lists the allowed forms instead of every branch failure', () => {
    expect(check(reference, 5)).toEqual([['.base', 'expected one of: a string | an object with "url", got a number (5)']]);
  });

  test("when the value's type fits one form, shows that form's complaints", () => {
    expect(check(reference, { url: 1, x: 2 })).toEqual([
      [
        '.base',
        'expected one of: a string | an object with "url", got an object; as an object with "url": unexpected property "x" (allowed: url, insecure); .url: expected a string, got a number (1)',
      ],
    ]);
  });

  test('nested in arrays, paths use indices', () => {
    const schema = { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } };
    expect(check(schema, ['a', ['b', 3]])).toEqual([
      ['.base[1]', 'expected one of: a string | an array of strings, got an array of 2 items; as an array of strings: [1]: expected a string, got a number (3)'],
    ]);
  });

  test('more than one match in a oneOf', () => {
    expect(check({ oneOf: [{ required: ['root_fs_uuid'] }, { required: ['rootfs'] }] }, { root_fs_uuid: 'a', rootfs: {} })).toEqual([
      ['.base', 'matches more than one allowed form (an object with "root_fs_uuid" and an object with "rootfs"); it must match exactly one'],
    ]);
  });

  test('a type error of the same schema is kept next to the oneOf', () => {
    const uuid = { type: 'string', oneOf: [{ pattern: '^[0-9a-f]{8}$' }, { pattern: '^[0-9A-F]{4}-[0-9A-F]{4}$' }] };
    expect(check(uuid, 5)).toEqual([
      ['.base', 'expected a string, got a number (5)'],
      ['.base', 'matches more than one allowed form (a string matching ^[0-9a-f]{8}$ and a string matching ^[0-9A-F]{4}-[0-9A-F]{4}$); it must match exactly one'],
    ]);
  });

  test('forms described from required/not and $ref', () => {
    const tar = {
      anyOf: [
        { required: ['root-node'], not: { required: ['paths'] } },
        { required: ['paths'], not: { required: ['root-node'] } },
        { not: { required: ['paths', 'root-node'] } },
      ],
    };
    expect(check(tar, { paths: [], 'root-node': 'omit' })).toEqual([
      [
        '.base',
        'expected one of: an object with "root-node" but without "paths" | an object with "paths" but without "root-node" | an object without all of "paths", "root-node", got an object',
      ],
    ]);
    const refs = { definitions: { 'plain-ref': { type: 'array' }, 'object-ref': { type: 'object' } }, oneOf: [{ $ref: '#/definitions/plain-ref' }, { $ref: '#/definitions/object-ref' }] };
    expect(check(refs, 'x')).toEqual([['.base', 'expected one of: plain-ref | object-ref, got a string ("x")']]);
  });
});
