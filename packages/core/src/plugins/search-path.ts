import path from 'node:path';

/** `node_modules` directories to look in, nearest first. */
export function nodeModulesCandidates(projectDir: string): string[] {
  const result: string[] = [];
  let dir = projectDir;
  for (;;) {
    // Like Node, do not look for node_modules/node_modules.
    if (path.basename(dir) !== 'node_modules') result.push(path.join(dir, 'node_modules'));
    const parent = path.dirname(dir);
    if (parent === dir) return result;
    dir = parent;
  }
}
