export { validateManifest, type ValidateOptions } from './validate-manifest.js';
export { formatDottedPath, formatManifestPath } from './format-path.js';
export { validationErrorDocument } from './error-document.js';
export { formatValidationText, type TextOptions } from './format-text.js';
export { sortIssues } from './sort-issues.js';
export { clearValidatorCache } from './validator-bundle.js';
export type { ValidationIssue } from './types.js';
