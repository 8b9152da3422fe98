import { spawnSync } from 'node:child_process';

/**
 * What makes mkfs.fat's output the same on every run. It ignores
 * SOURCE_DATE_EPOCH and dates the label's directory entry with the current
 * time; `--invariant` (dosfstools 4.2 and later) dates it with a constant
 * instead (2015-03-14 09:26:52) and fixes the other random values that `-i`
 * does not already set. An older mkfs.fat lacks the flag, so the stage says
 * the result will differ between runs and goes on.
 */
export function reproducibleFlags(): string[] {
  const help = spawnSync('mkfs.fat', ['--help'], { encoding: 'utf8' });
  if (`${help.stdout}${help.stderr}`.includes('--invariant')) return ['--invariant'];
  process.stdout.write('note: this mkfs.fat has no --invariant (dosfstools 4.2 added it), so the label\'s timestamp will differ between builds\n');
  return [];
}
