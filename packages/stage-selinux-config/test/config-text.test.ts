import { describe, expect, it } from 'vitest';
import { configText } from '../src/config-text.js';

describe('configText', () => {
  it('sets SELINUX, and SELINUXTYPE only when a type is given', () => {
    expect(configText('SELINUX=enforcing\nSELINUXTYPE=targeted\n', 'permissive', undefined)).toBe('SELINUX=permissive\nSELINUXTYPE=targeted\n');
    expect(configText('SELINUX=enforcing\nSELINUXTYPE=targeted', 'disabled', 'mls')).toBe('SELINUX=disabled\nSELINUXTYPE=mls\n');
  });

  it('keeps comments, blank lines and other keys; matches keys exactly', () => {
    expect(configText('# SELINUX=x\n\nSELINUX =a\nX=1', 'enforcing', 'mls')).toBe('# SELINUX=x\n\nSELINUX =a\nX=1');
  });

  it('writes SELINUX=None without a state, as upstream', () => {
    expect(configText('SELINUX=enforcing\n', undefined, undefined)).toBe('SELINUX=None\n');
  });

  it('refuses a line that is not KEY=VALUE, naming it', () => {
    expect(() => configText('SELINUX=enforcing\nbroken\n', 'permissive', undefined)).toThrow('/etc/selinux/config line 2: "broken" is not KEY=VALUE');
  });
});
