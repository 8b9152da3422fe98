import path from 'node:path';
import { defaultPackageName, scaffoldStage } from './scaffold.js';

const USAGE = `usage: npm create @osbuild-ts/stage MODULE-NAME [DIRECTORY] [--package-name NAME]

Writes a new osbuild-ts stage package: package.json with the "osbuild" field,
schema.json, src/main.ts, tests (vitest + @osbuild-ts/plugin-kit) and a README.

  MODULE-NAME   the name manifests use, under a domain you own: org.example.hello
  DIRECTORY     where to write it (default: the package name)
`;

function main(argv: string[]): number {
  const positional: string[] = [];
  let packageName: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (arg === '--package-name' && argv[i + 1] !== undefined) packageName = argv[++i];
    else if (arg.startsWith('--package-name=')) packageName = arg.slice('--package-name='.length);
    else if (arg.startsWith('-')) return usageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [moduleName, directory, ...extra] = positional;
  if (moduleName === undefined) return usageError('missing MODULE-NAME');
  if (extra.length > 0) return usageError(`unexpected ${extra.join(' ')}`);
  const name = packageName ?? defaultPackageName(moduleName);
  try {
    const result = scaffoldStage({ moduleName, directory: directory ?? name.replace(/^@[^/]+\//, ''), packageName: name });
    const where = path.relative(process.cwd(), result.directory) || '.';
    process.stdout.write(
      `Created ${result.packageName} (${moduleName}) in ${where}:\n${result.files.map((f) => `  ${f}`).join('\n')}\n\n` +
        `Next:\n  cd ${where}\n  npm install\n  npm test\n\nThen, in a project: npm install ${path.relative(process.cwd(), result.directory) === '' ? '.' : `./${where}`} and use "type": "${moduleName}" in a manifest.\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`create-stage: ${(error as Error).message}\n`);
    return 1;
  }
}

function usageError(message: string): number {
  process.stderr.write(`${USAGE}\ncreate-stage: error: ${message}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
