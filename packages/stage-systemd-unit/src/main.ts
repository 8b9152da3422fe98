#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStage } from '@osbuild-ts/plugin-kit';
import { dropinDirectory } from './dropin-path.js';
import { dropinText } from './dropin-text.js';
import type { UnitOptions } from './unit-options.js';

await runStage<UnitOptions>((args) => {
  const { dropin, unit } = args.options;
  // The schema admits no /; this keeps a manifest that got past it inside the tree.
  if (dropin.includes('/')) throw new Error(`dropin "${dropin}" is not a file name`);
  if (unit.includes('/')) throw new Error(`unit "${unit}" is not a unit name`);
  const text = dropinText(args.options.config);
  const dir = dropinDirectory(args.tree, args.options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, dropin), text);
});
