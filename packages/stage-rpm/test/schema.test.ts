import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);
const sum = `sha256:${'a'.repeat(64)}`;

describe('schema.json (upstream org.osbuild.rpm, v1 and v2 options)', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      {},
      // v1: the packages in the options
      { packages: [sum, { checksum: sum }, { checksum: sum, check_gpg: true }], gpgkeys: ['-----BEGIN PGP PUBLIC KEY BLOCK-----\n'], exclude: { docs: true }, dbpath: '/var/lib/rpm' },
      // v2
      {
        gpgkeys: ['k'],
        'gpgkeys.fromtree': ['/etc/pki/rpm-gpg/RPM-GPG-KEY-fedora'],
        rpmkeys: { bin_path: '/usr/bin/rpmkeys', ignore_import_failures: true },
        dbpath: '/usr/lib/sysimage/rpm',
        disable_dracut: true,
        exclude: { docs: false },
        install_langs: ['en_US', 'de'],
        nodeps: true,
        ignorearch: true,
        ostree_booted: true,
        generic_env: { FOO: 'bar' },
        kernel_install_env: { boot_root: '/boot', conf_root: 'etc/kernel', plugins: '50-dracut.install', machine_id: '0123456789abcdef0123456789abcdef' },
      },
    ]);
    schema.accepts('inputs', [{ packages: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [sum] } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { unknown: true },
      { packages: [{ check_gpg: true }] },
      { packages: [{ checksum: sum, extra: 1 }] },
      { exclude: { docs: 'yes' } },
      { exclude: { manpages: true } },
      { install_langs: [] },
      { install_langs: ['de', 'de'] },
      { rpmkeys: { bin: 'x' } },
      { generic_env: { FOO: 1 } },
      { kernel_install_env: { machine_id: 'not-an-id' } },
      { kernel_install_env: { boot_root: '../escape' } },
      { kernel_install_env: { other: 'x' } },
      { gpgkeys: 'k' },
    ]);
    schema.refuses('inputs', [{}, { other: {} }]);
  });
});
