import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartedPartition } from './parted-options.js';

/**
 * Refuses a `type` the build root's parted cannot set on a gpt partition,
 * found by setting each one on a scratch image: the flags differ between
 * parted versions, and on the device a bad one would fail only after the
 * partitions before it were written.
 */
export function checkFlags(partitions: readonly PartedPartition[]): void {
  const flags = [...new Set(partitions.flatMap((p) => (p.type ? [p.type] : [])))];
  if (flags.length === 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'parted-flags-'));
  try {
    const scratch = join(dir, 'probe.img');
    for (const flag of flags) {
      writeFileSync(scratch, '');
      truncateSync(scratch, 1024 * 1024);
      const probe = spawnSync('parted', ['-a', 'none', '-s', scratch, '--', 'unit', 's', 'mklabel', 'gpt', 'mkpart', '""', '34', '100', 'set', '1', flag, 'on'], {
        encoding: 'utf8',
      });
      if (probe.error) throw new Error(`parted: ${probe.error.message}`);
      if (probe.status !== 0) {
        const index = partitions.findIndex((p) => p.type === flag);
        const said = probe.stderr.split('\n').find((line) => /invalid token|error/i.test(line))?.trim();
        throw new Error(`partitions[${index}].type "${flag}" is not a flag parted can set on a gpt partition${said ? ` (parted: ${said.replace(/^parted: /, '')})` : ''}; see "set" in parted(8)`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
