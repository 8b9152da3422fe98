import { describe, expect, it } from 'vitest';
import { fixPaths } from '../src/fix-paths.js';

describe('fixPaths', () => {
  it('replaces from the first / to the last /boot of each line', () => {
    expect(fixPaths('linux /run/osbuild/tree/boot/vmlinuz\n', '/boot', true)).toBe('linux /boot/vmlinuz\n');
    expect(fixPaths('a /x/boot/y /z/boot/w\nb /q/boot\n', '/boot', true)).toBe('a /boot/w\nb /boot\n');
  });

  it('needs something before /boot unless require_boot_prefix is off', () => {
    expect(fixPaths('linux /boot/vmlinuz\n', '', true)).toBe('linux /boot/vmlinuz\n');
    expect(fixPaths('linux /boot/vmlinuz\n', '', false)).toBe('linux /vmlinuz\n');
    expect(fixPaths('linux //boot/vmlinuz\n', '/boot', true)).toBe('linux /boot/vmlinuz\n');
  });

  it('takes the prefix literally and refuses a backslash in it', () => {
    expect(fixPaths('l /a/boot/v\n', '/$&$1', true)).toBe('l /$&$1/v\n');
    expect(() => fixPaths('l /a/boot/v\n', '\\n', true)).toThrow(/backslash/);
  });

  it('matches within lines as Python splits them, and writes \\r\\n and \\r as \\n', () => {
    expect(fixPaths('a /x\r/boot/y\r\n', '/boot', true)).toBe('a /x\n/boot/y\n');
    expect(fixPaths('a /x\u2028/boot/y', '/boot', true)).toBe('a /x\u2028/boot/y');
    expect(fixPaths('a /x\u0085y/boot/y', '/boot', true)).toBe('a /x\u0085y/boot/y');
  });

  it('stays fast on a long line of slashes without /boot (no exponential backtracking)', () => {
    const line = `${'/a'.repeat(5000)}\n`;
    expect(fixPaths(line, '/boot', true)).toBe(line);
  });
});
