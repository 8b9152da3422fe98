import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

// As the engine compiles it: top-level definitions shared, osbuild's non-strict dialect.
const schema = schemaCases(import.meta.dirname);
const ROOT = '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75';

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { root_fs_uuid: ROOT },
      { rootfs: { label: 'root' }, bootfs: { uuid: '6699-AFB5' } },
      { root_fs_uuid: ROOT, boot_fs_uuid: ROOT, kernel_opts: 'ro', legacy: true, uefi: { vendor: 'debian', install: true, unified: true, efi_src_dir: '/x' } },
      { root_fs_uuid: ROOT, legacy: 'i386-pc', saved_entry: 'x', write_defaults: false, write_cmdline: false, ignition: true, greenboot: true, compat_version: 2 },
      { root_fs_uuid: ROOT, config: { default: 'saved', disable_recovery: true, disable_submenu: true, distributor: 'D', terminal: ['serial'], terminal_input: ['console'], terminal_output: ['gfxterm'], timeout: 5, timeout_style: 'menu', serial: 'serial' } },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { root_fs_uuid: ROOT, rootfs: { uuid: ROOT } },
      { root_fs_uuid: 'not-a-uuid' },
      { rootfs: {} },
      { root_fs_uuid: ROOT, uefi: {} },
      { root_fs_uuid: ROOT, compat_version: 3 },
      { root_fs_uuid: ROOT, config: { timeout: -1 } },
      { root_fs_uuid: ROOT, config: { timeout_style: 'never' } },
      { root_fs_uuid: ROOT, config: { colour: 'red' } },
      { root_fs_uuid: ROOT, bootloader: 'grub' },
    ]);
  });
});
