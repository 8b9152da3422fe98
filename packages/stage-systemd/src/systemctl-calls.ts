import type { SystemdOptions } from './systemd-options.js';

/**
 * The systemctl command lines that change units, in upstream's order: one
 * `enable` per unit, then `disable`, then `mask`, each with `--` so a unit
 * name cannot be read as an option. `set-default` comes separately, last.
 */
export function unitCalls(options: SystemdOptions, tree: string): string[][] {
  const calls: string[][] = [];
  for (const [verb, units] of [
    ['enable', options.enabled_services],
    ['disable', options.disabled_services],
    ['mask', options.masked_services],
  ] as const) {
    for (const unit of units ?? []) calls.push(['--root', tree, verb, '--', unit]);
  }
  return calls;
}

/** `systemctl --root TREE set-default TARGET`, when a default target is asked for. */
export function defaultTargetCall(options: SystemdOptions, tree: string): string[] | null {
  return options.default_target ? ['--root', tree, 'set-default', options.default_target] : null;
}
