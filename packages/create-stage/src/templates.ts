/**
 * The files of a new stage package. Each is complete: the package's tests
 * pass as written, and its README's options table matches its schema
 * (scripts/readme-options.mjs in osbuild-ts would write the same table).
 */

export interface TemplateInput {
  moduleName: string;
  packageName: string;
  versions: { pluginKit: string; core: string; ajv: string; tsx: string; vitest: string };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export function stageFiles(input: TemplateInput): Record<string, string> {
  const { moduleName, packageName, versions } = input;
  return {
    'package.json': json({
      name: packageName,
      version: '0.1.0',
      description: `${moduleName}: write a greeting into the tree (an osbuild-ts stage)`,
      license: 'Apache-2.0',
      type: 'module',
      engines: { node: '>=20' },
      keywords: ['osbuild', 'osbuild-ts-stage'],
      files: ['src', 'schema.json'],
      exports: { './package.json': './package.json' },
      scripts: { test: 'vitest run' },
      osbuild: { apiVersion: 1, kind: 'stage', name: moduleName, schema: './schema.json', entry: './src/main.ts' },
      dependencies: { '@osbuild-ts/plugin-kit': versions.pluginKit },
      devDependencies: { '@osbuild-ts/core': versions.core, ajv: versions.ajv, tsx: versions.tsx, vitest: versions.vitest },
    }),
    'schema.json': json({
      $schema: 'http://json-schema.org/draft-07/schema#',
      description: `Options of ${moduleName}`,
      type: 'object',
      additionalProperties: false,
      required: ['path'],
      properties: {
        path: { type: 'string', pattern: '^/', description: 'Absolute path in the tree of the file to write.' },
        text: { type: 'string', default: 'hello', description: 'What the file says.' },
      },
    }),
    'src/main.ts': `#!/usr/bin/env node
// ${moduleName}: runs inside the osbuild-ts sandbox, without network, with the
// tree at args.tree. Everything the stage needs comes in its arguments.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { resolveLocation, runStage, writeMetadata } from '@osbuild-ts/plugin-kit';

interface Options {
  path: string;
  text?: string;
}

await runStage<Options>((args) => {
  const target = resolveLocation(args, args.options.path);
  const text = args.options.text ?? 'hello';
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, \`\${text}\\n\`);
  // Shown under this stage in \`osbuild --json\`'s metadata.
  writeMetadata({ written: args.options.path, bytes: Buffer.byteLength(text) + 1 });
});
`,
    'test/schema.test.ts': `import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

// Checked exactly as a build validates a manifest's options.
const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts good options', () => {
    schema.accepts('options', [{ path: '/etc/motd' }, { path: '/etc/motd', text: 'welcome' }]);
  });

  it('refuses bad options', () => {
    schema.refuses('options', [{}, { path: 'relative' }, { path: '/x', text: 1 }, { path: '/x', colour: 'red' }]);
  });
});
`,
    'test/main.test.ts': `import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';

// The entry as package.json names it; a TypeScript entry runs through tsx.
const entry = join(import.meta.dirname, '..', 'src', 'main.ts');
const trees: string[] = [];
const newTree = () => {
  const tree = mkdtempSync(join(tmpdir(), 'stage-test-'));
  trees.push(tree);
  return tree;
};
afterEach(() => trees.splice(0).forEach((tree) => rmSync(tree, { recursive: true, force: true })));

describe('${moduleName}', () => {
  it('writes the greeting and reports it in its metadata', async () => {
    const tree = newTree();
    const result = await runStageLocally({ entry, tree, options: { path: '/etc/motd', text: 'welcome' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(tree, 'etc/motd'), 'utf8')).toBe('welcome\\n');
    expect(result.metadata).toEqual({ written: '/etc/motd', bytes: 8 });
  });

  it('says hello by default', async () => {
    const tree = newTree();
    const result = await runStageLocally({ entry, tree, options: { path: '/hello' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(tree, 'hello'), 'utf8')).toBe('hello\\n');
  });

  it('fails with one clear line when the file cannot be written', async () => {
    const tree = newTree();
    writeFileSync(join(tree, 'etc'), 'a file, not a directory');
    const result = await runStageLocally({ entry, tree, options: { path: '/etc/motd' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/EEXIST|ENOTDIR/);
  });
});
`,
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['src', 'test'],
    }),
    '.gitignore': 'node_modules\n',
    'README.md': `# ${packageName}

The \`${moduleName}\` stage for [osbuild-ts](https://github.com/osbuild-ts/osbuild-ts):
it writes a greeting into the image's tree.

## Install

\`\`\`sh
npm install ${packageName}
\`\`\`

osbuild-ts finds it in the project's \`node_modules\` by the \`osbuild\` field
of its \`package.json\`; no configuration.

## Use

\`\`\`json
{ "type": "${moduleName}", "options": { "path": "/etc/motd", "text": "welcome" } }
\`\`\`

## Options

<!-- options:start (generated from schema.json) -->
| option | type | required | default | description |
|---|---|---|---|---|
| \`path\` | string | yes |  | Absolute path in the tree of the file to write. |
| \`text\` | string | no | \`"hello"\` | What the file says. |
<!-- options:end -->

## What it writes

The file at \`path\` in the tree, and metadata \`{"written": path, "bytes": n}\`.

## Develop

\`npm test\` runs the schema and behaviour tests. \`src/main.ts\` runs as it
is (through tsx), in tests and in builds; see osbuild-ts's
docs/writing-a-stage.md for the contract and for publishing.
`,
  };
}
