import { describe, expect, it } from 'vitest';
import { candidateUrls } from '@osbuild-ts/source-kit/download';
import { parseOverrides } from '../src/overrides.js';

describe('source overrides for org.osbuild.curl', () => {
  it('defaults to osbuild\'s behaviour', () => {
    expect(parseOverrides(undefined, {})).toEqual({
      mirrors: [],
      original: true,
      proxy: undefined,
      rounds: 10,
      backoff: { initial: 0.25, max: 8 },
      connectTimeout: 30,
      speedLimit: 1000,
      speedTime: 30,
      insecure: false,
    });
  });

  it('takes the proxy from OSBUILD_SOURCES_CURL_PROXY unless the file names one', () => {
    expect(parseOverrides({}, { OSBUILD_SOURCES_CURL_PROXY: '127.0.0.1:3128' }).proxy).toBe('http://127.0.0.1:3128');
    expect(parseOverrides({ proxy: 'http://127.0.0.1:1' }, { OSBUILD_SOURCES_CURL_PROXY: '127.0.0.1:3128' }).proxy).toBe('http://127.0.0.1:1');
  });

  it('rewrites URL prefixes in rule order, then falls back to the manifest URL', () => {
    const overrides = parseOverrides({
      mirrors: [
        { from: 'https://upstream/fedora/', to: ['http://127.0.0.1:1/fedora/', 'file:///srv/fedora/'] },
        { from: 'https://upstream/', to: 'http://127.0.0.1:2/all/' },
        { from: 'https://other/', to: 'http://127.0.0.1:3/' },
      ],
    }, {});
    expect(candidateUrls('https://upstream/fedora/p/a.rpm', overrides)).toEqual([
      'http://127.0.0.1:1/fedora/p/a.rpm',
      'file:///srv/fedora/p/a.rpm',
      'http://127.0.0.1:2/all/fedora/p/a.rpm',
      'https://upstream/fedora/p/a.rpm',
    ]);
    expect(candidateUrls('https://else/x', overrides)).toEqual(['https://else/x']);
    expect(candidateUrls('https://upstream/x', { ...overrides, original: false })).toEqual(['http://127.0.0.1:2/all/x']);
    expect(candidateUrls('https://else/x', { ...overrides, original: false })).toEqual([]);
  });

  it('names what is wrong', () => {
    expect(() => parseOverrides({ mirror: [] }, {})).toThrow('unknown key "mirror"');
    expect(() => parseOverrides({ mirrors: [{ from: 'a' }] }, {})).toThrow('mirrors[0] must be {"from": prefix, "to": prefix | [prefix, …]}');
    expect(() => parseOverrides({ proxy: 'socks5://127.0.0.1:1' }, {})).toThrow('only http:// proxies are supported');
    expect(() => parseOverrides({ rounds: 0 }, {})).toThrow('"rounds" must be a number ≥ 1');
    expect(() => parseOverrides({ backoff: [2, 1] }, {})).toThrow('"backoff" must be [initial seconds, maximum seconds]');
  });
});
