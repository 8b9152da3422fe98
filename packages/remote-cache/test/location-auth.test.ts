import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCredentials, isLoopback, parseCacheLocation, parseChallenge } from '../src/index.js';
import { temp } from './helpers.js';

describe('--remote-cache URLs', () => {
  it('takes https anywhere and http only on loopback unless allowed', () => {
    expect(parseCacheLocation('https://registry.example:5000/ci/osbuild-cache')).toEqual({ origin: 'https://registry.example:5000', host: 'registry.example:5000', repository: 'ci/osbuild-cache', insecure: false });
    expect(parseCacheLocation('http://127.0.0.1:5000/cache/').repository).toBe('cache');
    expect(parseCacheLocation('http://[::1]:5000/cache').insecure).toBe(true);
    expect(() => parseCacheLocation('http://10.0.0.5:5000/cache')).toThrow(/plain http to 10\.0\.0\.5:5000 is refused/);
    expect(parseCacheLocation('http://10.0.0.5:5000/cache', { allowInsecure: true }).insecure).toBe(true);
    expect(() => parseCacheLocation('https://user:pw@registry.example/cache')).toThrow(/credentials do not belong in the URL/);
    expect(() => parseCacheLocation('https://registry.example/')).toThrow(/not a repository name/);
    expect(() => parseCacheLocation('ftp://registry.example/x')).toThrow(/ftp: is not supported/);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
  });
});

describe('registry auth', () => {
  it('parses Bearer and Basic challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull' },
    });
    expect(parseChallenge('Basic realm="x"')?.scheme).toBe('basic');
  });

  it('finds credentials in the first auth file that has the host, podman before docker', async () => {
    const dir = temp('osbuild-auth-');
    const podman = join(dir, 'auth.json');
    const docker = join(dir, 'config.json');
    writeFileSync(podman, JSON.stringify({ auths: { 'r.example:5000': { auth: Buffer.from('ci:pod:man').toString('base64') } } }));
    writeFileSync(docker, JSON.stringify({ auths: { 'https://r.example:5000': { auth: Buffer.from('ci:docker').toString('base64') }, 'other.example': { username: 'u', password: 'p' } } }));
    expect(await findCredentials('r.example:5000', [join(dir, 'missing.json'), podman, docker])).toEqual({ username: 'ci', password: 'pod:man' });
    expect(await findCredentials('r.example:5000', [docker])).toEqual({ username: 'ci', password: 'docker' });
    expect(await findCredentials('other.example', [podman, docker])).toEqual({ username: 'u', password: 'p' });
    expect(await findCredentials('none.example', [podman, docker])).toBeNull();
  });
});
