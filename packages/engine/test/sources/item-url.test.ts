import { describe, expect, it } from 'vitest';
import { parsePyJson } from '@osbuild-ts/core';
import { itemUrl } from '../../src/sources/item-url.js';

const py = (text: string) => parsePyJson(text);

describe('itemUrl', () => {
  it('names a curl item by its URL, in either shape', () => {
    expect(itemUrl(py('"http://127.0.0.1:8080/a.rpm"'))).toBe('http://127.0.0.1:8080/a.rpm');
    expect(itemUrl(py('{"url": "file:///srv/a"}'))).toBe('file:///srv/a');
  });

  it('joins a librepo item path to its baseurl mirror', () => {
    const options = py('{"mirrors": {"fedora": {"url": "http://127.0.0.1:8080/repo/", "type": "baseurl"}}}');
    expect(itemUrl(py('{"path": "/Packages/a.rpm", "mirror": "fedora"}'), options)).toBe('http://127.0.0.1:8080/repo/Packages/a.rpm');
  });

  it('says which list a mirrorlist or metalink item is looked up in, and names an unknown mirror', () => {
    const options = py('{"mirrors": {"m": {"url": "http://127.0.0.1/list", "type": "metalink"}}}');
    expect(itemUrl(py('{"path": "a.rpm", "mirror": "m"}'), options)).toBe('a.rpm (mirror m: metalink http://127.0.0.1/list)');
    expect(itemUrl(py('{"path": "a.rpm", "mirror": "gone"}'), options)).toBe('a.rpm (mirror gone)');
  });

  it('has nothing to say for inline data', () => {
    expect(itemUrl(py('{"encoding": "base64", "data": "aGk="}'))).toBeNull();
    expect(itemUrl(undefined)).toBeNull();
  });
});
