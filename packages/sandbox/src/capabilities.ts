import { readFileSync } from 'node:fs';
import { OsbuildError } from './errors.js';

/** Linux capability numbers (linux/capability.h); the index is the bit in CapEff. */
const CAPABILITY_BITS: Readonly<Record<string, number>> = {
  CAP_CHOWN: 0,
  CAP_DAC_OVERRIDE: 1,
  CAP_DAC_READ_SEARCH: 2,
  CAP_FOWNER: 3,
  CAP_FSETID: 4,
  CAP_KILL: 5,
  CAP_SETGID: 6,
  CAP_SETUID: 7,
  CAP_SETPCAP: 8,
  CAP_LINUX_IMMUTABLE: 9,
  CAP_NET_BIND_SERVICE: 10,
  CAP_NET_BROADCAST: 11,
  CAP_NET_ADMIN: 12,
  CAP_NET_RAW: 13,
  CAP_IPC_LOCK: 14,
  CAP_IPC_OWNER: 15,
  CAP_SYS_MODULE: 16,
  CAP_SYS_RAWIO: 17,
  CAP_SYS_CHROOT: 18,
  CAP_SYS_PTRACE: 19,
  CAP_SYS_PACCT: 20,
  CAP_SYS_ADMIN: 21,
  CAP_SYS_BOOT: 22,
  CAP_SYS_NICE: 23,
  CAP_SYS_RESOURCE: 24,
  CAP_SYS_TIME: 25,
  CAP_SYS_TTY_CONFIG: 26,
  CAP_MKNOD: 27,
  CAP_LEASE: 28,
  CAP_AUDIT_WRITE: 29,
  CAP_AUDIT_CONTROL: 30,
  CAP_SETFCAP: 31,
  CAP_MAC_OVERRIDE: 32,
  CAP_MAC_ADMIN: 33,
  CAP_SYSLOG: 34,
  CAP_WAKE_ALARM: 35,
  CAP_BLOCK_SUSPEND: 36,
  CAP_AUDIT_READ: 37,
  CAP_PERFMON: 38,
  CAP_BPF: 39,
  CAP_CHECKPOINT_RESTORE: 40,
};

/** The set osbuild keeps for every stage (spec 8.4); everything else is dropped. */
export const STAGE_CAPABILITIES: readonly string[] = [
  'CAP_AUDIT_WRITE',
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_IPC_LOCK',
  'CAP_LINUX_IMMUTABLE',
  'CAP_MAC_OVERRIDE',
  'CAP_MKNOD',
  'CAP_NET_BIND_SERVICE',
  'CAP_SETFCAP',
  'CAP_SETGID',
  'CAP_SETPCAP',
  'CAP_SETUID',
  'CAP_SYS_ADMIN',
  'CAP_SYS_CHROOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
];

/**
 * The stage set plus what a plugin declares, normalised (`mac_admin` →
 * `CAP_MAC_ADMIN`), deduplicated, sorted, and limited to what this process
 * holds. An unknown name is an error rather than silently ignored: a typo
 * would otherwise surface as an EPERM deep inside a stage.
 *
 * The limit is not cosmetic: asked to add a capability that is not in its
 * bounding set, bwrap 0.8 running as root ignores capset's EPERM and leaves
 * the sandbox with *every* capability (seen on this project's CI host, whose
 * bounding set lacks CAP_SYS_RESOURCE).
 */
export function stageCapabilities(extra: readonly string[] = [], held: ReadonlySet<string> = heldCapabilities()): string[] {
  const set = new Set(STAGE_CAPABILITIES);
  for (const raw of extra) {
    const name = raw.trim().toUpperCase();
    const cap = name.startsWith('CAP_') ? name : `CAP_${name}`;
    if (!(cap in CAPABILITY_BITS)) {
      throw new OsbuildError('E_SANDBOX', `unknown capability "${raw}" declared by the plugin`, {
        hint: 'Use a Linux capability name such as CAP_MAC_ADMIN (see capabilities(7)).',
        details: { capability: raw },
      });
    }
    set.add(cap);
  }
  return [...set].filter((cap) => held.has(cap)).sort();
}

let held: Set<string> | undefined;

/** Capabilities this process can pass on: in both its permitted and its bounding set. */
export function heldCapabilities(): ReadonlySet<string> {
  if (held === undefined) {
    const status = readFileSync('/proc/self/status', 'utf8');
    const mask = (field: string) => BigInt(`0x${new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1] ?? '0'}`);
    const usable = mask('CapPrm') & mask('CapBnd');
    held = new Set(Object.keys(CAPABILITY_BITS).filter((cap) => (usable >> BigInt(CAPABILITY_BITS[cap] as number)) & 1n));
  }
  return held;
}

/** The CapEff bit mask of a capability set, as /proc/<pid>/status prints it (hex). */
export function capabilityMask(caps: readonly string[]): bigint {
  let mask = 0n;
  for (const cap of caps) {
    const bit = CAPABILITY_BITS[cap];
    if (bit === undefined) throw new OsbuildError('E_SANDBOX', `unknown capability "${cap}"`);
    mask |= 1n << BigInt(bit);
  }
  return mask;
}
