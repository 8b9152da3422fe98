import { captureTool } from '@osbuild-ts/plugin-kit';

const TYPE_CODE = {
  gpt: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  // sfdisk reads any hex number and keeps its last byte ("0x1ff" is "ff"), so allow one byte only.
  dos: /^(0x)?[0-9a-f]{1,2}$/i,
};

/** The shortcuts and aliases of sfdisk(8), per table; they are case-sensitive. */
const SHORTCUTS = {
  gpt: ['L', 'S', 'H', 'U', 'R', 'V', 'linux', 'swap', 'home', 'uefi', 'raid', 'lvm'],
  dos: ['L', 'S', 'Ex', 'X', 'E', 'U', 'R', 'V', 'linux', 'swap', 'extended', 'uefi', 'raid', 'lvm'],
};

/** The type names sfdisk knows for a table ("EFI System", "Linux"…), lower-cased: it matches them ignoring case. */
export function sfdiskTypeNames(kind: 'dos' | 'gpt'): Set<string> {
  const listing = captureTool('sfdisk', ['--label', kind, '--list-types']);
  const names = listing
    .split('\n')
    .slice(1)
    .map((line) => line.trim().replace(/^\S+\s+/, '').toLowerCase())
    .filter((name) => name !== '');
  return new Set(names);
}

/**
 * Whether sfdisk will set `type` as asked. It must be checked first: for a
 * dos table sfdisk quietly writes type 0 ("Empty") for a word it does not
 * know, and for gpt it fails with only "Invalid argument".
 */
export function isPartitionType(kind: 'dos' | 'gpt', type: string, names: () => Set<string>): boolean {
  if (TYPE_CODE[kind].test(type) || SHORTCUTS[kind].includes(type)) return true;
  return names().has(type.toLowerCase());
}

export function typeExpectation(kind: 'dos' | 'gpt'): string {
  const code = kind === 'gpt' ? 'a type GUID (0FC63DAF-8483-4772-8E79-3D69D8477DE4)' : 'a one-byte hex code (83, 0xef)';
  return `${code}, one of sfdisk's shortcuts ${SHORTCUTS[kind].join(', ')}, or a name from "sfdisk --label ${kind} --list-types"`;
}
