import { describe, expect, it } from 'vitest';
import { dropinText } from '../src/dropin-text.js';

describe('dropinText', () => {
  it('writes sections in order, each followed by an empty line', () => {
    expect(dropinText({ Unit: { ConditionPathExists: '/x' }, Service: { Environment: 'A=1 B=2' } })).toBe(
      '[Unit]\nConditionPathExists=/x\n\n[Service]\nEnvironment=A=1 B=2\n\n',
    );
  });

  it('writes one quoted Environment line per item, and a repeated one once', () => {
    expect(
      dropinText({
        Service: {
          Environment: [
            { key: 'A', value: '1' },
            { key: 'B', value: 'two words' },
            { key: 'A', value: '1' },
          ],
        },
      }),
    ).toBe('[Service]\nEnvironment="A=1"\nEnvironment="B=two words"\n\n');
  });

  it('continues a value with a line break on a tab-indented line, as configparser does', () => {
    expect(dropinText({ Unit: { ConditionPathExists: '/a\n/b' } })).toBe('[Unit]\nConditionPathExists=/a\n\t/b\n\n');
  });

  it('writes an empty section and nothing for no sections', () => {
    expect(dropinText({ Service: {} })).toBe('[Service]\n\n');
    expect(dropinText({})).toBe('');
  });

  it('refuses an Environment item without key or value', () => {
    expect(() => dropinText({ Service: { Environment: [{ key: 'A' }] } })).toThrow(
      'config.Service.Environment: each item needs a "key" and a "value", got {"key":"A"}',
    );
  });
});
