import { expect, it } from 'vitest';
import { parsePythonJson } from '../src/parse-arguments.js';

it('reads what Python json.dumps writes, NaN and Infinity included', () => {
  expect(parsePythonJson('{"a": [NaN, Infinity, -Infinity, 1.5, -2], "b": "NaN Infinity \\" -Infinity"}')).toEqual({
    a: [NaN, Infinity, -Infinity, 1.5, -2],
    b: 'NaN Infinity " -Infinity',
  });
  expect(parsePythonJson('{"x": 1}')).toEqual({ x: 1 });
  expect(() => parsePythonJson('{"x": Nope}')).toThrow();
});
