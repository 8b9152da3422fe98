/**
 * TLS with a private CA (`--remote-cache-ca`) and a login from a podman/docker
 * auth file, against distribution's own htpasswd auth; and the http rule.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWithoutLogins, makeProject, richManifest, stagesOf, storedTags, temp } from './helpers.js';
import { startRegistry, type TestRegistry } from './registry.js';

let registry: TestRegistry;
let project: string;
let dir: string;

beforeAll(async () => {
  project = makeProject();
  dir = temp('osbuild-registry-tls-');
  // A CA, and a server certificate for 127.0.0.1 signed by it.
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=osbuild-ts test CA');
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  // distribution's htpasswd backend takes bcrypt only (cost 4: it checks the password on every request).
  const hash = execFileSync('python3', ['-c', "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))", 's3cret'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  writeFileSync(join(dir, 'htpasswd'), `builder:${hash}\n`);
  writeFileSync(join(dir, 'auth.json'), JSON.stringify({ auths: { [`127.0.0.1:PORT`]: { auth: Buffer.from('builder:s3cret').toString('base64') } } }));
  registry = await startRegistry({
    scheme: 'https',
    http: `  tls:\n    certificate: ${join(dir, 'server.pem')}\n    key: ${join(dir, 'server.key')}`,
    auth: `auth:\n  htpasswd:\n    realm: osbuild-ts-test\n    path: ${join(dir, 'htpasswd')}`,
  });
  writeFileSync(join(dir, 'auth.json'), JSON.stringify({ auths: { [`127.0.0.1:${registry.port}`]: { auth: Buffer.from('builder:s3cret').toString('base64') } } }));
});
afterAll(async () => {
  await registry?.stop();
});

const build = (store: string, manifest: string, extra: string[], env: Record<string, string> = {}) => buildWithoutLogins(project, dir, store, manifest, extra, env);
const store = () => join(temp('osbuild-remote-tls-'), 'store');

describe('TLS, a private CA and registry logins', () => {
  it('an untrusted certificate or a missing login is a warning and a local build; the CA and an auth file make it work', async () => {
    const manifest = richManifest();
    const url = `${registry.url}/ci/private`;

    const untrusted = await build(store(), manifest, ['--remote-cache', url]);
    expect(untrusted.status, untrusted.stderr).toBe(0);
    expect(untrusted.stderr).toMatch(/warning: remote cache .* is unavailable .*(certificate|self[- ]signed|issuer)/i);

    const noLogin = await build(store(), manifest, ['--remote-cache', url, '--remote-cache-ca', join(dir, 'ca.pem')]);
    expect(noLogin.status, noLogin.stderr).toBe(0);
    expect(noLogin.stderr).toMatch(/warning: .*asks for a login/);
    expect(storedTags(registry.storage, 'ci/private')).toEqual([]);

    const a = await build(store(), manifest, ['--remote-cache', url, '--remote-cache-ca', join(dir, 'ca.pem')], { REGISTRY_AUTH_FILE: join(dir, 'auth.json') });
    expect(a.status, a.stderr).toBe(0);
    expect(stagesOf(a).map((s) => s.remote)).toEqual(['pushed', 'pushed', 'pushed']);
    // The same login found where podman keeps it.
    execFileSync('sh', ['-c', `mkdir -p "$1/run/containers" && cp "$1/auth.json" "$1/run/containers/auth.json"`, 'sh', dir]);
    const b = await build(store(), manifest, ['--remote-cache', url], { OSBUILD_REMOTE_CACHE_CA: join(dir, 'ca.pem'), XDG_RUNTIME_DIR: join(dir, 'run') });
    expect(b.status, b.stderr).toBe(0);
    expect(stagesOf(b).map((s) => s.remote)).toEqual(['pulled', 'pulled', 'pulled']);
  });

  it('plain http is refused for a host that is not loopback, unless allowed', async () => {
    const refused = await build(store(), richManifest(), ['--remote-cache', 'http://192.0.2.1:5000/ci/cache']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/plain http to 192\.0\.2\.1:5000 is refused/);
    const bad = await build(store(), richManifest(), ['--remote-cache', 'https://registry.invalid/CI']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/not a repository name/);
  });
});
