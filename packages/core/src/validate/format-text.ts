import { formatDottedPath, formatManifestPath } from './format-path.js';
import { sortIssues } from './sort-issues.js';
import type { ValidationIssue } from './types.js';

export interface TextOptions {
  /** ANSI bold/colour, as osbuild does on a terminal. */
  color?: boolean;
}

/**
 * The human report, osbuild's layout (`<file> has errors:`, blank line, then
 * per error `<dotted path>:` and the indented message, blank line) with one
 * more indented line naming the place in our path style and the plugin whose
 * schema complained. `-` is shown as `<stdin>`, and no issues as
 * `<file> is valid`, as upstream does.
 */
export function formatValidationText(issues: Iterable<ValidationIssue>, file: string, options: TextOptions = {}): string {
  const bold = options.color ? '\x1b[1m' : '';
  const red = options.color ? '\x1b[31m' : '';
  const green = options.color ? '\x1b[32m' : '';
  const reset = options.color ? '\x1b[0m' : '';
  const name = file === '-' ? '<stdin>' : file;
  const sorted = sortIssues(issues);
  if (sorted.length === 0) return `${bold}${name}${reset} is ${bold}${green}valid${reset}\n`;
  let out = `${bold}${name}${reset} has ${bold}${red}errors${reset}:\n\n`;
  for (const issue of sorted) {
    out += `${bold}${formatDottedPath(issue.path)}${reset}:\n`;
    out += `  ${issue.message}\n`;
    const where = `at ${formatManifestPath(issue.path)}`;
    out += `  ${issue.plugin === undefined ? where : `${where}, checked by ${issue.plugin}`}\n\n`;
  }
  return out;
}
