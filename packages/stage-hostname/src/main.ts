#!/usr/bin/env node
import { resolveLocation, runStage, runTool, requireTool, removeIfPresent } from '@osbuild-ts/plugin-kit';

interface HostnameOptions {
  hostname: string;
}

await runStage<HostnameOptions>((args) => {
  requireTool('systemd-firstboot', 'systemd');
  // systemd-firstboot leaves an existing file alone, so make room first.
  const file = resolveLocation(args, '/etc/hostname');
  if (removeIfPresent(file)) process.stdout.write('/etc/hostname already exists. Replacing.\n');
  runTool('systemd-firstboot', [`--root=${args.tree}`, `--hostname=${args.options.hostname}`]);
});
