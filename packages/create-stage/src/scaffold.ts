import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stageFiles } from './templates.js';
import { dependencyRange } from './versions.js';

/** The module-name rule discovery applies (`osbuild.name`). */
const MODULE_NAME = /^[a-z0-9]+(\.[a-zA-Z0-9_-]+)+$/;
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

export interface ScaffoldOptions {
  /** The module name manifests will use, e.g. `org.example.hello`. */
  moduleName: string;
  /** Where to write the package; must not exist or be empty. */
  directory: string;
  /** npm package name; default from the module name (`osbuild-stage-example-hello`). */
  packageName?: string;
}

export interface ScaffoldResult {
  directory: string;
  packageName: string;
  files: string[];
}

/** `org.example.hello` → `osbuild-stage-example-hello` (the naming convention of docs/writing-a-stage.md). */
export function defaultPackageName(moduleName: string): string {
  const parts = moduleName.split('.');
  const rest = parts.length > 2 ? parts.slice(1) : parts;
  return `osbuild-stage-${rest.join('-').toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
}

/** Writes a complete stage package whose tests pass once its dependencies are installed. */
export function scaffoldStage(options: ScaffoldOptions): ScaffoldResult {
  const { moduleName } = options;
  if (!MODULE_NAME.test(moduleName)) {
    throw new Error(`"${moduleName}" is not a module name: use dotted lower-case segments under a domain you own, like "org.example.hello"`);
  }
  if (moduleName.startsWith('org.osbuild.')) {
    throw new Error(`"${moduleName}" is in upstream osbuild's namespace; name a third-party stage under a domain you own, like "org.example.${moduleName.slice('org.osbuild.'.length)}"`);
  }
  const packageName = options.packageName ?? defaultPackageName(moduleName);
  if (!PACKAGE_NAME.test(packageName)) throw new Error(`"${packageName}" is not a valid npm package name`);
  const directory = path.resolve(options.directory);
  let existing: string[] = [];
  try {
    existing = readdirSync(directory);
  } catch {
    // does not exist yet: fine
  }
  if (existing.length > 0) throw new Error(`${directory} already exists and is not empty; choose another directory`);

  const files = stageFiles({
    moduleName,
    packageName,
    versions: {
      pluginKit: dependencyRange('@osbuild-ts/plugin-kit'),
      core: dependencyRange('@osbuild-ts/core'),
      ajv: dependencyRange('ajv'),
      tsx: dependencyRange('tsx'),
      vitest: dependencyRange('vitest'),
    },
  });
  for (const [relative, text] of Object.entries(files)) {
    const target = path.join(directory, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return { directory, packageName, files: Object.keys(files).sort() };
}
