import { expect, test } from 'vitest';
import { formatValidationText } from '../../src/validate/index.js';

const issues = [
  { path: ['pipelines', 0, 'stages', 3, 'options', 'packages'], message: 'expected an array, got a string ("bash")', plugin: '@osbuild-ts/stage-rpm@1.0.0' },
  { path: [], message: 'unexpected property "extra" (allowed: version, pipelines, sources, metadata)' },
];

test("osbuild's layout, plus where in our path style and which plugin complained", () => {
  expect(formatValidationText(issues, 'image.json')).toBe(
    [
      'image.json has errors:',
      '',
      '.:',
      '  unexpected property "extra" (allowed: version, pipelines, sources, metadata)',
      '  at (top level)',
      '',
      '.pipelines[0].stages[3].options.packages:',
      '  expected an array, got a string ("bash")',
      '  at pipelines[0].stages[3].options.packages, checked by @osbuild-ts/stage-rpm@1.0.0',
      '',
      '',
    ].join('\n'),
  );
});

test('stdin is shown as <stdin>, and colour only when asked', () => {
  const text = formatValidationText(issues.slice(1), '-', { color: true });
  expect(text.startsWith('\x1b[1m<stdin>\x1b[0m has \x1b[1m\x1b[31merrors\x1b[0m:\n\n\x1b[1m.\x1b[0m:\n')).toBe(true);
  expect(formatValidationText(issues, '-')).not.toContain('\x1b');
});

test('no issues: valid, as osbuild says it', () => {
  expect(formatValidationText([], 'image.json')).toBe('image.json is valid\n');
  expect(formatValidationText([], '-', { color: true })).toBe('\x1b[1m<stdin>\x1b[0m is \x1b[1m\x1b[32mvalid\x1b[0m\n');
});
