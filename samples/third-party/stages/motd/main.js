#!/usr/bin/env node
// org.acme.motd: plain JavaScript, as a published package ships it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolveLocation, runStage, writeMetadata } from '@osbuild-ts/plugin-kit';

await runStage((args) => {
  const { text, signature } = args.options;
  const target = resolveLocation(args, '/etc/motd');
  mkdirSync(resolveLocation(args, '/etc'), { recursive: true });
  writeFileSync(target, signature === undefined ? `${text}\n` : `${text}\n-- ${signature}\n`);
  writeMetadata({ lines: signature === undefined ? 1 : 2 });
});
