#!/usr/bin/env node
import { captureTool, deviceGeometry, devicePath, requireTool, runStage, runTool } from '@osbuild-ts/plugin-kit';
import { checkLayout } from './check-layout.js';
import { checkTable } from './check-table.js';
import { sfdiskScript } from './sfdisk-script.js';
import { tableKind, type SfdiskOptions } from './sfdisk-options.js';
import { withStableUuids } from './stable-uuids.js';

interface WrittenTable {
  partitiontable?: { partitions?: unknown[] };
}

await runStage<SfdiskOptions>((args) => {
  requireTool('sfdisk', 'fdisk');
  requireTool('blockdev', 'util-linux');
  const options = args.options;
  const kind = tableKind(options.label);
  const device = devicePath(args, 'device', 'the disk to partition');
  for (const note of checkTable(options)) process.stdout.write(`note: ${note}\n`);
  const requested = options.partitions ?? [];
  checkLayout(kind, requested, deviceGeometry(device), device);
  const reproducible = args.meta['source-epoch'] !== undefined && kind === 'gpt';
  const partitions = reproducible ? withStableUuids(options.uuid, requested) : requested;

  const script = sfdiskScript(options, partitions, device);
  process.stdout.write(`${script}\n`);
  try {
    runTool('sfdisk', ['-q', '--no-tell-kernel', device], { input: script });
  } catch (error) {
    throw new Error(`sfdisk refused the ${kind} table for ${device} (its message is above; its "#N" is partitions[N-1]): ${(error as Error).message}`, { cause: error });
  }

  const written = captureTool('sfdisk', ['--json', device]);
  process.stdout.write(written);
  const count = (JSON.parse(written) as WrittenTable).partitiontable?.partitions?.length ?? 0;
  if (count !== partitions.length) throw new Error(`${device} has ${count} partitions after sfdisk, but the options list ${partitions.length}`);
});
