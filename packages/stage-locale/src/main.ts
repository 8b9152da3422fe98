#!/usr/bin/env node
import { resolveLocation, runStage, runTool, requireTool, removeIfPresent } from '@osbuild-ts/plugin-kit';

interface LocaleOptions {
  language: string;
}

/**
 * Where systemd-firstboot keeps the system locale: /etc/locale.conf, or on
 * Debian /etc/default/locale. It leaves an existing one alone, taking it for
 * a choice already made, while package installs leave defaults there; so
 * both go first, whichever the build root's systemd-firstboot writes.
 */
const LOCALE_FILES = ['/etc/locale.conf', '/etc/default/locale'];

await runStage<LocaleOptions>((args) => {
  requireTool('systemd-firstboot', 'systemd');
  for (const path of LOCALE_FILES) {
    if (removeIfPresent(resolveLocation(args, path))) process.stdout.write(`${path} already exists. Replacing.\n`);
  }
  runTool('systemd-firstboot', [`--root=${args.tree}`, `--locale=${args.options.language}`]);
});
