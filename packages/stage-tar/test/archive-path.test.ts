import { describe, expect, it } from 'vitest';
import { archivePath } from '../src/archive-path.js';

describe('archivePath', () => {
  it('puts the archive in the tree, ignoring leading slashes as upstream', () => {
    expect(archivePath('/run/osbuild/tree', 'image.tar.xz')).toBe('/run/osbuild/tree/image.tar.xz');
    expect(archivePath('/run/osbuild/tree', '//out/image.tar')).toBe('/run/osbuild/tree/out/image.tar');
    expect(archivePath('/run/osbuild/tree', 'a/../b.tar')).toBe('/run/osbuild/tree/b.tar');
  });

  it('refuses names outside the tree or naming a directory', () => {
    expect(() => archivePath('/t', '../x.tar')).toThrow('filename "../x.tar" leaves the tree');
    expect(() => archivePath('/t', 'a/../../x.tar')).toThrow('leaves the tree');
    expect(() => archivePath('/t', '')).toThrow('names a directory');
    expect(() => archivePath('/t', '/')).toThrow('names a directory');
    expect(() => archivePath('/t', 'out/')).toThrow('names a directory');
  });
});
