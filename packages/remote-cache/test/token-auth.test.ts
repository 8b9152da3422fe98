/**
 * The Bearer token flow, as registries behind a token service use it
 * (Docker Hub, Harbor, GitLab, cloud registries): distribution's own `auth:
 * token` backend, which trusts tokens signed by a key whose certificate is
 * in its `rootcertbundle`, and a token server written here (real HTTP on
 * 127.0.0.1) that checks Basic credentials and signs ES256 JWTs with that
 * key (made by openssl at test time). Credentials come from an auth file.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWithoutLogins, makeProject, richManifest, stagesOf, storedTags, temp } from './helpers.js';
import { startRegistry, type TestRegistry } from './registry.js';

const SERVICE = 'osbuild-ts-test-registry';
const ISSUER = 'osbuild-ts-test-token-server';

let registry: TestRegistry;
let tokens: Server;
let project: string;
let dir: string;
/** What the token server was asked: user (or '-') and scope per request. */
const asked: { user: string; scope: string; granted: boolean }[] = [];

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

beforeAll(async () => {
  project = makeProject();
  dir = temp('osbuild-registry-token-');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'token.key', '-out', 'token.pem', '-days', '2', '-subj', '/CN=osbuild-ts test token signer');
  const key = createPrivateKey(readFileSync(join(dir, 'token.key')));
  const certDer = Buffer.from(readFileSync(join(dir, 'token.pem'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

  tokens = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [user, password] = basic === null ? ['-', ''] : Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    const scope = url.searchParams.get('scope') ?? '';
    const ok = url.pathname === '/token' && url.searchParams.get('service') === SERVICE && user === 'builder' && password === 's3cret';
    asked.push({ user: user!, scope, granted: ok });
    if (!ok) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
      return;
    }
    const [type, name, actions] = scope.split(':');
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] };
    const claims = { iss: ISSUER, sub: user, aud: SERVICE, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access: [{ type, name, actions: (actions ?? '').split(',').filter(Boolean) }] };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${input}.${b64url(signature)}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => tokens.listen(0, '127.0.0.1', resolve));
  const realm = `http://127.0.0.1:${(tokens.address() as AddressInfo).port}/token`;
  registry = await startRegistry({
    auth: `auth:\n  token:\n    realm: ${realm}\n    service: ${SERVICE}\n    issuer: ${ISSUER}\n    rootcertbundle: ${join(dir, 'token.pem')}`,
  });
  writeFileSync(join(dir, 'auth.json'), JSON.stringify({ auths: { [`127.0.0.1:${registry.port}`]: { auth: Buffer.from('builder:s3cret').toString('base64') } } }));
});
afterAll(async () => {
  await registry?.stop();
  await new Promise((resolve) => tokens?.close(resolve));
});

const build = (store: string, manifest: string, extra: string[], env: Record<string, string> = {}) => buildWithoutLogins(project, dir, store, manifest, extra, env);
const store = () => join(temp('osbuild-remote-token-'), 'store');

describe('a registry behind a token server (Bearer tokens)', () => {
  it('pushes and pulls with a token got with the auth file\'s credentials; without them, a warning and a local build', async () => {
    const manifest = richManifest();
    const url = `${registry.url}/ci/token`;

    const anonymous = await build(store(), manifest, ['--remote-cache', url]);
    expect(anonymous.status, anonymous.stderr).toBe(0);
    expect(anonymous.stderr).toMatch(/warning: remote cache .* is unavailable .*token request .*HTTP 401.*no credentials/);
    expect(asked.some((a) => a.user === '-' && !a.granted)).toBe(true);

    const withLogin = { REGISTRY_AUTH_FILE: join(dir, 'auth.json') };
    const a = await build(store(), manifest, ['--remote-cache', url], withLogin);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stderr).not.toMatch(/warning/);
    expect(stagesOf(a).map((s) => s.remote)).toEqual(['pushed', 'pushed', 'pushed']);
    expect(asked).toContainEqual({ user: 'builder', scope: 'repository:ci/token:pull,push', granted: true });

    const b = await build(store(), manifest, ['--remote-cache', url, '--remote-cache-mode', 'read'], withLogin);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stderr).not.toMatch(/warning/);
    expect(stagesOf(b).map((s) => [s.cached, s.remote])).toEqual([[true, 'pulled'], [true, 'pulled'], [true, 'pulled']]);
    expect(asked).toContainEqual({ user: 'builder', scope: 'repository:ci/token:pull', granted: true });
    expect(storedTags(registry.storage, 'ci/token')).toHaveLength(3);
  });

  it('takes credentials from a credential helper (credHelpers for the host, or credsStore), as docker-credential-NAME get', async () => {
    // A real helper program speaking the protocol: the host on stdin, JSON on stdout, failure when it has nothing.
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const log = join(dir, 'helper.log');
    const host = `127.0.0.1:${registry.port}`;
    writeFileSync(
      join(bin, 'docker-credential-osbuild-test'),
      [
        '#!/bin/sh',
        'read -r server',
        `echo "$1 $server" >> '${log}'`,
        '[ "$1" = get ] || exit 1',
        `[ "$server" = '${host}' ] || { echo 'credentials not found in native keychain'; exit 1; }`,
        'echo \'{"ServerURL":"\'"$server"\'","Username":"builder","Secret":"s3cret"}\'',
      ].join('\n') + '\n',
    );
    chmodSync(join(bin, 'docker-credential-osbuild-test'), 0o755);
    const env = (doc: unknown) => {
      const file = join(dir, `auth-${randomBytes(4).toString('hex')}.json`);
      writeFileSync(file, JSON.stringify(doc));
      return { REGISTRY_AUTH_FILE: file, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
    };
    const manifest = richManifest();
    const url = `${registry.url}/ci/helper`;

    const a = await build(store(), manifest, ['--remote-cache', url], env({ auths: {}, credHelpers: { [host]: 'osbuild-test', 'other.example': 'missing' } }));
    expect(a.status, a.stderr).toBe(0);
    expect(a.stderr).not.toMatch(/warning/);
    expect(stagesOf(a).map((s) => s.remote)).toEqual(['pushed', 'pushed', 'pushed']);
    expect(readFileSync(log, 'utf8')).toBe(`get ${host}\n`);

    // docker's credsStore: the entry under auths is an empty placeholder, the helper has the secret.
    const b = await build(store(), manifest, ['--remote-cache', url, '--remote-cache-mode', 'read'], env({ auths: { [host]: {} }, credsStore: 'osbuild-test' }));
    expect(b.status, b.stderr).toBe(0);
    expect(b.stderr).not.toMatch(/warning/);
    expect(stagesOf(b).map((s) => s.remote)).toEqual(['pulled', 'pulled', 'pulled']);
    expect(readFileSync(log, 'utf8')).toBe(`get ${host}\nget ${host}\n`);

    // A helper that has nothing for the host (or is not installed) is no login: a warning, a local build.
    const c = await build(store(), manifest, ['--remote-cache', url, '--remote-cache-mode', 'read'], env({ credHelpers: { [host]: 'not-installed-anywhere' } }));
    expect(c.status, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/warning: remote cache .* is unavailable .*no credentials/);
  });
});
