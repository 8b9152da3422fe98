import { isOsbuildError } from '@osbuild-ts/core';

/**
 * One paragraph for the terminal: what went wrong, then what to do about it.
 * Stack traces only with OSBUILD_DEBUG, for errors that are bugs.
 */
export function renderError(error: unknown, debug = Boolean(process.env.OSBUILD_DEBUG)): string {
  if (isOsbuildError(error)) {
    let text = `osbuild: ${error.message}\n`;
    if (error.hint) text += `  hint: ${error.hint}\n`;
    if (debug && error.stack) text += `${error.stack}\n`;
    return text;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return `osbuild: internal error: ${err.message}\n  this is a bug in osbuild-ts; please report it with the command you ran.\n${debug ? `${err.stack}\n` : ''}`;
}
