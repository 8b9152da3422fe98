/**
 * grub's environment block: a preallocated 1024-byte file that grub's
 * `save_env` rewrites in place, padded with `#`.
 */
export function grubenv(variables: readonly (readonly [string, string])[]): string {
  let data = '# GRUB Environment Block\n';
  for (const [name, value] of variables) data += `${name}=${value}\n`;
  const length = Buffer.byteLength(data);
  if (length > 1024) throw new Error(`the grub environment block holds 1024 bytes; these variables need ${length}`);
  return data + '#'.repeat(1024 - length);
}
