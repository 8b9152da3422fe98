#!/usr/bin/env node
import { resolveLocation, runStage, runTool, requireTool, removeIfPresent } from '@osbuild-ts/plugin-kit';

interface TimezoneOptions {
  zone: string;
}

await runStage<TimezoneOptions>((args) => {
  requireTool('systemd-firstboot', 'systemd');
  // Package installs leave a default /etc/localtime, which systemd-firstboot
  // would take for a choice already made and keep.
  if (removeIfPresent(resolveLocation(args, '/etc/localtime'))) process.stdout.write('/etc/localtime already exists. Replacing.\n');
  runTool('systemd-firstboot', [`--root=${args.tree}`, `--timezone=${args.options.zone}`]);
});
