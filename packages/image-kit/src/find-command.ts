import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export interface Tool {
  /** The command, or alternatives separated by `|` (`grub2-mkimage|grub-mkimage`). */
  command: string;
  /** Debian package, then Fedora's where it differs. */
  package: string;
}

const SEARCH_PATH = () => (process.env['PATH'] ?? '/usr/sbin:/usr/bin').split(':').filter(Boolean);

/** Whether `path` is a file this process may execute. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The full path of the first of `commands` on PATH (or given as a path), or null. */
export function findCommand(...commands: string[]): string | null {
  for (const command of commands) {
    if (command.includes('/')) {
      if (isExecutable(command)) return command;
      continue;
    }
    for (const dir of SEARCH_PATH()) {
      const path = join(dir, command);
      if (isExecutable(path)) return path;
    }
  }
  return null;
}

/**
 * Fails before any work with every missing tool named, with its package, so
 * that a build root is fixed in one go.
 */
export function requireTools(tools: readonly Tool[]): void {
  const missing = tools.filter((tool) => findCommand(...tool.command.split('|')) === null);
  if (missing.length === 0) return;
  const list = missing.map((tool) => `${tool.command.replaceAll('|', ' or ')} (package ${tool.package})`).join(', ');
  throw new Error(`missing ${missing.length === 1 ? 'tool' : 'tools'} in the build root: ${list}`);
}
