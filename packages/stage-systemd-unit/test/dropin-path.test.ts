import { describe, expect, it } from 'vitest';
import { dropinDirectory } from '../src/dropin-path.js';

describe('dropinDirectory', () => {
  it('puts system units under /usr/lib/systemd/system and global ones under /usr/lib/systemd/user', () => {
    expect(dropinDirectory('/t', { unit: 'a.service' })).toBe('/t/usr/lib/systemd/system/a.service.d');
    expect(dropinDirectory('/t', { unit: 'a.service', 'unit-type': 'system' })).toBe('/t/usr/lib/systemd/system/a.service.d');
    expect(dropinDirectory('/t', { unit: 'b@.timer', 'unit-type': 'global' })).toBe('/t/usr/lib/systemd/user/b@.timer.d');
  });

  it('accepts a name of 253 characters and refuses one longer', () => {
    expect(dropinDirectory('/t', { unit: `${'a'.repeat(245)}.service` })).toMatch(/\.service\.d$/);
    expect(() => dropinDirectory('/t', { unit: `${'a'.repeat(246)}.service` })).toThrow('would exceed the maximum file name length (255)');
  });
});
