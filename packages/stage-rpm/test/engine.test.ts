// Through the real engine: our `osbuild` fetches the fixture RPMs from a
// server on 127.0.0.1 (org.osbuild.curl) and runs this stage in its sandbox.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, type TestRpm } from '@osbuild-ts/plugin-kit/testing';
import { copyRpm, fixtureRpms, installedIn, osbuild, rpmManifest, rpmServer } from './helpers.js';
import { makeSigningKey, type SigningKey } from './signing.js';

const missing = ['rpm', 'rpmbuild', 'bwrap', 'apt-get'].filter((tool) => !hasCommand(tool));

describe.skipIf(missing.length > 0)(`org.osbuild.rpm through osbuild${missing.length ? ` (skipped: no ${missing.join(', ')})` : ''}`, () => {
  let rpms: Map<string, TestRpm>;
  let served: Awaited<ReturnType<typeof rpmServer>>;
  const checksum = (name: string) => served.add(rpms.get(name)!.source);
  beforeAll(async () => {
    rpms = fixtureRpms();
  });

  it('installs a dependency chain, runs Lua and shell scriptlets, and reports the packages in --json', async () => {
    served = await rpmServer();
    const names = ['osbt-app', 'osbt-busybox', 'osbt-filesystem', 'osbt-lib'];
    const b = await osbuild(rpmManifest(served.server, names.map(checksum)));
    expect(b.code, `${b.stdout}\n${b.stderr}`).toBe(0);
    expect(installedIn(b.tree)).toEqual(['osbt-app-1.0-1.noarch', 'osbt-busybox-1.35.0-1.x86_64', 'osbt-filesystem-1-1.noarch', 'osbt-lib-1:2.0-3.noarch']);
    // The scriptlets ran chrooted in the tree: Lua inside rpm, shell with the tree's /bin/sh (busybox).
    expect(readFileSync(join(b.tree, 'var/lib/osbt/lua-post'), 'utf8')).toBe('lua post ran, arg 1\n');
    expect(readFileSync(join(b.tree, 'var/lib/osbt/shell-post'), 'utf8')).toBe('shell post ran, arg 1\n');
    expect(statSync(join(b.tree, 'var/lib/osbt/shell-post')).mode & 0o7777).toBe(0o640);
    expect(readFileSync(join(b.tree, 'etc/osbt/lib.conf'), 'utf8')).toBe('level = 1\n');
    expect(readFileSync(join(b.tree, 'usr/share/doc/osbt-lib-2.0/README'), 'utf8')).toBe('Read me\n');
    expect(lstatSync(join(b.tree, 'bin')).isSymbolicLink()).toBe(true);
    // As osbuild leaves them: the API file system mount points (empty) and an empty, read-only machine-id.
    for (const dir of ['dev', 'proc', 'sys']) expect(readdirSync(join(b.tree, dir)), dir).toEqual([]);
    expect(statSync(join(b.tree, 'etc/machine-id')).size).toBe(0);
    expect(statSync(join(b.tree, 'etc/machine-id')).mode & 0o777).toBe(0o444);

    const packages = b.result?.['metadata']?.['tree']?.['org.osbuild.rpm']?.['packages'] as Record<string, unknown>[];
    expect(packages.map((p) => p['name'])).toEqual(['osbt-app', 'osbt-busybox', 'osbt-filesystem', 'osbt-lib']);
    for (const p of packages) {
      expect(Object.keys(p)).toEqual(['name', 'version', 'release', 'epoch', 'arch', 'sigmd5', 'sha1header', 'sha256header', 'sha3_256header', 'sigpgp', 'siggpg']);
      expect(p['sigmd5']).toMatch(/^[0-9a-f]{32}$/);
      expect(p['sha256header']).toMatch(/^[0-9a-f]{64}$/);
      expect(p['sigpgp']).toBeNull();
    }
    expect(packages.find((p) => p['name'] === 'osbt-lib')).toMatchObject({ version: '2.0', release: '3', epoch: '1', arch: 'noarch' });
    expect(packages.find((p) => p['name'] === 'osbt-app')).toMatchObject({ epoch: null });
    expect(readFileSync(join(b.tree, 'var/lib/osbt/environment'), 'utf8')).toBe('OSBT_GREETING=unset MACHINE_ID=unset\n');
    // During the install the tree had osbuild's stand-in machine id.
    expect(readFileSync(join(b.tree, 'var/lib/osbt/machine-id'), 'utf8')).toBe(`machine-id: ${'f'.repeat(32)}\n`);
    expect(readFileSync(join(b.tree, 'var/lib/osbt/ostree'), 'utf8')).toBe('not-ostree-booted\n');
    expect(readFileSync(join(b.tree, 'var/lib/osbt/dracut'), 'utf8')).toBe('dracut-unmasked\n');
    expect(existsSync(join(b.tree, 'etc/kernel'))).toBe(false);
  });

  it('ostree_booted and disable_dracut hold during the install only', async () => {
    served = await rpmServer();
    const b = await osbuild(rpmManifest(served.server, ['osbt-app', 'osbt-busybox', 'osbt-filesystem', 'osbt-lib'].map(checksum), { ostree_booted: true, disable_dracut: true }));
    expect(b.code, `${b.stdout}\n${b.stderr}`).toBe(0);
    expect(readFileSync(join(b.tree, 'var/lib/osbt/ostree'), 'utf8')).toBe('ostree-booted\n');
    expect(readFileSync(join(b.tree, 'var/lib/osbt/dracut'), 'utf8')).toBe('dracut-masked\n');
    expect(existsSync(join(b.tree, 'run/ostree-booted'))).toBe(false);
    // The masks are gone; the directories stay, as osbuild leaves them.
    expect(readdirSync(join(b.tree, 'etc/kernel/install.d'))).toEqual([]);
  });

  it('generic_env and kernel_install_env may not set the same variable', async () => {
    served = await rpmServer();
    const options = { generic_env: { MACHINE_ID: 'x', BOOT_ROOT: '/boot' }, kernel_install_env: { machine_id: 'a'.repeat(32), boot_root: '/efi' } };
    const b = await osbuild(rpmManifest(served.server, [checksum('osbt-filesystem')], options));
    expect(b.code).toBe(1);
    expect(JSON.stringify(b.result)).toContain('environment variable(s) set in both generic_env and kernel_install_env: BOOT_ROOT, MACHINE_ID');
  });

  it('exclude.docs, install_langs and the scriptlet environment (generic_env, kernel_install_env)', async () => {
    served = await rpmServer();
    const options = {
      exclude: { docs: true },
      install_langs: ['de'],
      generic_env: { OSBT_GREETING: 'hello' },
      kernel_install_env: { machine_id: 'a'.repeat(32) },
    };
    const b = await osbuild(rpmManifest(served.server, ['osbt-app', 'osbt-busybox', 'osbt-filesystem', 'osbt-lib'].map(checksum), options));
    expect(b.code, `${b.stdout}\n${b.stderr}`).toBe(0);
    expect(existsSync(join(b.tree, 'usr/share/doc/osbt-lib-2.0/README'))).toBe(false);
    expect(readFileSync(join(b.tree, 'usr/share/locale/de/LC_MESSAGES/osbt.mo'), 'utf8')).toBe('Hallo\n');
    expect(existsSync(join(b.tree, 'usr/share/locale/fr/LC_MESSAGES/osbt.mo'))).toBe(false);
    expect(readFileSync(join(b.tree, 'usr/share/osbt/lib.dat'), 'utf8')).toBe('data\n');
    expect(readFileSync(join(b.tree, 'var/lib/osbt/environment'), 'utf8')).toBe(`OSBT_GREETING=hello MACHINE_ID=${'a'.repeat(32)}\n`);
  });

  it('a missing dependency fails the stage with rpm\'s reason; nodeps installs anyway', async () => {
    served = await rpmServer();
    const refs = ['osbt-app', 'osbt-busybox', 'osbt-filesystem'].map(checksum);
    const failed = await osbuild(rpmManifest(served.server, refs));
    expect(failed.code).toBe(1);
    expect(JSON.stringify(failed.result)).toMatch(/osbt-lib >= 1:2.0 is needed by osbt-app/);
    const b = await osbuild(rpmManifest(served.server, refs, { nodeps: true }));
    expect(b.code, `${b.stdout}\n${b.stderr}`).toBe(0);
    expect(installedIn(b.tree)).toEqual(['osbt-app-1.0-1.noarch', 'osbt-busybox-1.35.0-1.x86_64', 'osbt-filesystem-1-1.noarch']);
  });

  describe('rpm.check_gpg', () => {
    let key: SigningKey;
    let signedApp: string;
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'rpm-signing-'));
      mkdirSync(join(dir, 'gnupg'), { mode: 0o700 });
      key = makeSigningKey(join(dir, 'gnupg'));
      signedApp = copyRpm(rpms.get('osbt-app')!, dir);
      key.sign(signedApp);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const base = () => ['osbt-busybox', 'osbt-filesystem', 'osbt-lib'].map(checksum);
    const checked = (c: string) => ({ [c]: { metadata: { 'rpm.check_gpg': true } } });

    it('installs a package signed by a key in gpgkeys', async () => {
      served = await rpmServer();
      const app = served.add(signedApp);
      const refs = { ...Object.fromEntries(base().map((c) => [c, {}])), ...checked(app) };
      const b = await osbuild(rpmManifest(served.server, refs, { gpgkeys: [key.armored] }));
      expect(b.code, `${b.stdout}\n${b.stderr}`).toBe(0);
      // rpmsign 4.18 signs the header only (RSAHEADER): the metadata's sigpgp/siggpg stay null, as upstream reports them.
      const signature = execFileSync('rpm', ['--root', b.tree, '--dbpath', '/var/lib/rpm', '-q', '--qf', '%{RSAHEADER:pgpsig}', 'osbt-app'], { encoding: 'utf8' });
      expect(signature).toMatch(/^RSA\/SHA\d+, .*, Key ID [0-9a-f]{16}$/);
      // The key is in the tree's rpm database.
      expect(execFileSync('rpm', ['--root', b.tree, '--dbpath', '/var/lib/rpm', '-q', 'gpg-pubkey'], { encoding: 'utf8' })).toMatch(/^gpg-pubkey-/);
    });

    it('fails, naming the package, when it is unsigned, tampered with or signed by a key not given', async () => {
      served = await rpmServer();
      const tampered = readFileSync(signedApp);
      tampered[tampered.length - 100] = tampered[tampered.length - 100]! ^ 0xff; // in the payload: the header's payload digest no longer matches
      const cases: [string, string, string[]][] = [
        ['unsigned', served.add(rpms.get('osbt-app')!.source), [key.armored]],
        ['tampered', served.add('', tampered), [key.armored]],
        ['unknown key', served.add(signedApp), []],
      ];
      for (const [what, app, gpgkeys] of cases) {
        const refs = { ...Object.fromEntries(base().map((c) => [c, {}])), ...checked(app) };
        const b = await osbuild(rpmManifest(served.server, refs, { gpgkeys }));
        expect(b.code, what).toBe(1);
        const output = JSON.stringify(b.result);
        expect(output, what).toContain(`signature check failed (rpm.check_gpg) for package osbt-app-1.0-1.noarch (${app})`);
        expect(existsSync(join(b.tree, 'usr/bin/osbt-app')), what).toBe(false);
      }
    });
    it('v1: {"checksum", "check_gpg": true} checks the signature too', async () => {
      served = await rpmServer();
      const [filesystem, unsigned, signed] = [checksum('osbt-filesystem'), served.add(rpms.get('osbt-lib')!.source), served.add(signedApp)];
      const v1 = (packages: unknown[], all: string[]) => ({
        pipeline: { stages: [{ name: 'org.osbuild.rpm', options: { dbpath: '/var/lib/rpm', nodeps: true, gpgkeys: [key.armored], packages } }] },
        sources: { 'org.osbuild.files': { urls: Object.fromEntries(all.map((c) => [c, `${served.server.url}/${c.slice(7)}`])) } },
      });
      const good = await osbuild(v1([filesystem, { checksum: signed!, check_gpg: true }], [filesystem!, signed!]));
      expect(good.code, `${good.stdout}\n${good.stderr}`).toBe(0);
      const bad = await osbuild(v1([filesystem, { checksum: unsigned!, check_gpg: true }], [filesystem!, unsigned!]));
      expect(bad.code).toBe(1);
      expect(JSON.stringify(bad.result)).toContain(`for package osbt-lib-1:2.0-3.noarch (${unsigned})`);
    });
  });

  it('a v1 manifest: options.packages (strings and objects) become the packages input; metadata in the v1 result', async () => {
    served = await rpmServer();
    const [busybox, filesystem] = ['osbt-busybox', 'osbt-filesystem'].map(checksum);
    const manifest = {
      pipeline: { stages: [{ name: 'org.osbuild.rpm', options: { dbpath: '/var/lib/rpm', packages: [filesystem, { checksum: busybox, check_gpg: false }] } }] },
      sources: { 'org.osbuild.files': { urls: Object.fromEntries([busybox!, filesystem!].map((c) => [c, `${served.server.url}/${c.slice(7)}`])) } },
    };
    const b = await osbuild(manifest);
    expect(b.code, `${b.stdout}\n${b.stderr}`).toBe(0);
    expect(installedIn(b.tree)).toEqual(['osbt-busybox-1.35.0-1.x86_64', 'osbt-filesystem-1-1.noarch']);
    // v1 results carry each stage's metadata in the stage's entry.
    const stage = (b.result?.['stages'] as { type: string; metadata: { packages: { name: string }[] } }[])[0]!;
    expect(stage.type).toBe('org.osbuild.rpm');
    expect(stage.metadata.packages.map((p) => p.name)).toEqual(['osbt-busybox', 'osbt-filesystem']);
  });

  it('a reference that is not among the sources: exit 2 before anything runs, naming the path', async () => {
    served = await rpmServer();
    const present = checksum('osbt-filesystem');
    const absent = `sha256:${'0'.repeat(64)}`;
    const manifest = rpmManifest(served.server, [present]);
    manifest.pipelines[0]!.stages[0]!.inputs.packages.references = [present, absent];
    const v2 = await osbuild(manifest);
    expect(v2.code, v2.stdout).toBe(2);
    expect(v2.stdout).toContain('pipelines[0].stages[0].inputs.packages.references');
    expect(v2.stdout).toContain(absent);
    expect(served.server.requests).toEqual([]);

    const v1 = await osbuild({
      pipeline: { stages: [{ name: 'org.osbuild.rpm', options: { packages: [present, absent] } }] },
      sources: { 'org.osbuild.files': { urls: { [present]: `${served.server.url}/${present.slice(7)}` } } },
    });
    expect(v1.code, v1.stdout).toBe(2);
    expect(v1.stdout).toContain(absent);
    expect(served.server.requests).toEqual([]);
  });
});
