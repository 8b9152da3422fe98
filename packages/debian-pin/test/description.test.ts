import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '@osbuild-ts/core';
import { parseDescription } from '../src/description.js';

describe('parseDescription', () => {
  it('accepts the documented shape', () => {
    const d = { suite: 'bookworm', architecture: 'amd64', variant: 'minbase', packages: ['systemd'], components: ['main'] };
    expect(parseDescription(d, 'd.json')).toEqual(d);
  });

  it('reports every problem at once, with its path', () => {
    try {
      parseDescription({ variant: 'tiny', packages: 'systemd', mirrors: [], mirror: 'no-scheme' }, 'd.json');
      expect.unreachable();
    } catch (error) {
      expect(isOsbuildError(error) && error.code).toBe('E_USAGE');
      const message = (error as Error).message;
      for (const part of ['d.json', '.mirrors: unknown property', '.suite: required', '.variant: one of', '.packages:', '.mirror:']) {
        expect(message).toContain(part);
      }
    }
  });

  it('refuses what is not an object', () => {
    expect(() => parseDescription([], 'd.json')).toThrow('a description is a JSON object, got an array');
  });
});
