import { describe, expect, it } from 'vitest';
import { OsbuildError } from '../../src/errors.js';
import { parsePyJson } from '../../src/json/parse.js';
import { detectVersion } from '../../src/manifest/detect-version.js';

const code = (text: string) => {
  try {
    detectVersion(parsePyJson(text));
    return 'ok';
  } catch (error) {
    return (error as OsbuildError).code;
  }
};

describe('detectVersion (spec 1.1)', () => {
  it('reads no version as 1 and "2" as 2', () => {
    expect(detectVersion(parsePyJson('{}'))).toBe(1);
    expect(detectVersion(parsePyJson('{"pipeline": {}}'))).toBe(1);
    expect(detectVersion(parsePyJson('{"version": "2"}'))).toBe(2);
  });

  it('like upstream, takes "1" as v1 (its schema then rejects the key)', () => {
    expect(detectVersion(parsePyJson('{"version": "1"}'))).toBe(1);
  });

  it.each(['{"version": "3"}', '{"version": 2}', '{"version": null}', '{"version": "2.0"}'])(
    '%s is an unsupported format',
    (text) => {
      expect(code(text)).toBe('E_MANIFEST_FORMAT');
      expect(() => detectVersion(parsePyJson(text))).toThrow('Unsupported manifest format');
    },
  );

  it('a document that is not an object is invalid, not a crash', () => {
    expect(code('[]')).toBe('E_MANIFEST_INVALID');
    expect(() => detectVersion(parsePyJson('"x"'))).toThrow('(top level): a manifest is a JSON object, got a string');
  });
});
