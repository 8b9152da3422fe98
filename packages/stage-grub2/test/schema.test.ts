import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const file = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
// As the engine compiles plugin schemas: top-level definitions shared, osbuild's non-strict dialect.
const options = new Ajv({ strict: false }).compile({ definitions: file['definitions'], ...file['options'] });
const ROOT = '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75';

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    for (const good of [
      { root_fs_uuid: ROOT },
      { rootfs: { label: 'root' }, bootfs: { uuid: '6699-AFB5' } },
      { root_fs_uuid: ROOT, boot_fs_uuid: ROOT, kernel_opts: 'ro', legacy: true, uefi: { vendor: 'debian', install: true, unified: true, efi_src_dir: '/x' } },
      { root_fs_uuid: ROOT, legacy: 'i386-pc', saved_entry: 'x', write_defaults: false, write_cmdline: false, ignition: true, greenboot: true, compat_version: 2 },
      { root_fs_uuid: ROOT, config: { default: 'saved', disable_recovery: true, disable_submenu: true, distributor: 'D', terminal: ['serial'], terminal_input: ['console'], terminal_output: ['gfxterm'], timeout: 5, timeout_style: 'menu', serial: 'serial' } },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
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
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
