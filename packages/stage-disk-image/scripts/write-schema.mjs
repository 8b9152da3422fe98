// The stage takes exactly the options of the v1 assembler it wraps: its
// schema is made from the assembler's at build time, never copied by hand.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const assembler = JSON.parse(readFileSync(require.resolve('@osbuild-ts/assembler-qemu/schema.json'), 'utf8'));
const schema = {
  options: assembler.options,
  inputs: {
    type: 'object',
    additionalProperties: false,
    required: ['tree'],
    properties: {
      tree: {
        description: 'The tree to put on the disk: an org.osbuild.tree input naming one pipeline',
        type: 'object',
        additionalProperties: true,
      },
    },
  },
};
const dist = join(import.meta.dirname, '..', 'dist');
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
