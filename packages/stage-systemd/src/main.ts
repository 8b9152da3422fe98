#!/usr/bin/env node
import { runStage, runTool, requireTool } from '@osbuild-ts/plugin-kit';
import { maskGenerators } from './mask-generators.js';
import { defaultTargetCall, unitCalls } from './systemctl-calls.js';
import type { SystemdOptions } from './systemd-options.js';

await runStage<SystemdOptions>((args) => {
  const calls = unitCalls(args.options, args.tree);
  const setDefault = defaultTargetCall(args.options, args.tree);
  // Masking generators alone needs no systemctl.
  if (calls.length > 0 || setDefault) requireTool('systemctl', 'systemd');
  for (const call of calls) runTool('systemctl', call);
  maskGenerators(args.tree, args.options.masked_generators ?? []);
  if (setDefault) runTool('systemctl', setDefault);
});
