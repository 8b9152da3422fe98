import { compareCodePoints } from './code-point-order.js';
import { formatDottedPath } from './format-path.js';
import type { ValidationIssue } from './types.js';

/**
 * osbuild keeps errors in a set keyed by (dotted path, message) and prints
 * them sorted by the dotted path; ties are ordered by message here so the
 * output is deterministic.
 */
export function sortIssues(issues: Iterable<ValidationIssue>): ValidationIssue[] {
  const unique = new Map<string, { dotted: string; issue: ValidationIssue }>();
  for (const issue of issues) {
    const dotted = formatDottedPath(issue.path);
    const key = `${dotted}\0${issue.message}`;
    if (!unique.has(key)) unique.set(key, { dotted, issue });
  }
  return [...unique.values()]
    .sort((a, b) => compareCodePoints(a.dotted, b.dotted) || compareCodePoints(a.issue.message, b.issue.message))
    .map((entry) => entry.issue);
}
