import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inspect, loadFile, readExpected } from './inspect-helper.js';

const dir = fileURLToPath(new URL('./fixtures/upstream/', import.meta.url));
const names = readdirSync(dir)
  .filter((file) => file.endsWith('.json') && !file.endsWith('.inspect.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

describe('edge cases checked against upstream osbuild (fixtures/upstream/README.md)', () => {
  it.each(names)('%s', (name) => {
    expect(inspect(loadFile(`${dir}${name}.json`))).toBe(readExpected(`${dir}${name}.inspect.json`));
  });
});
