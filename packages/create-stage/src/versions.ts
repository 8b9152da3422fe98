import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The version ranges a new stage depends on. Published, this package's own
 * devDependencies carry them (pnpm turns `workspace:^` into `^x.y.z` when it
 * packs); inside the workspace the installed packages say which version.
 */
export function dependencyRange(name: string): string {
  const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { devDependencies?: Record<string, string> };
  const spec = own.devDependencies?.[name];
  if (spec !== undefined && !spec.startsWith('workspace:')) return spec;
  const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`);
  return `^${(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version}`;
}
