/**
 * The command line every pin tool has: `TOOL [options] [NAME=]DESCRIPTION.json…`
 * with `--template`, `--output`, `-q` and `-h`; the tool's own flags, its
 * resolver and its manifest parts plug in. Messages go to stderr prefixed
 * with the program name; the exit status is 0, 2 for a usage problem, 1
 * otherwise (core's table).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { OsbuildError, exitStatusFor, isOsbuildError } from '@osbuild-ts/core';
import { readJson } from './read-json.js';
import { writeDocument } from './write-output.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The flags every pin tool takes. */
export const COMMON_OPTIONS = {
  template: { type: 'string' },
  output: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

/** The parsed command line: the tool's flags and the common ones, and the positionals. */
export type PinCommandLine<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof COMMON_OPTIONS; allowPositionals: true }>>;

export type Log = (line: string) => void;

export interface PinCommand<O extends OptionsConfig, D, S> {
  /** Prefixes every message and names the `--help` hint: `osbuild-debian-pin`. */
  program: string;
  /** Printed by `--help`. */
  usage: string;
  /** The tool's own flags (the common ones are added). */
  options: O;
  /** The named descriptions the command line gives, checked (usually `readDescriptionFiles`). */
  descriptions(line: PinCommandLine<O>): Map<string, D>;
  /** Resolves and pins them; `log` is undefined with `--quiet`. */
  pin(descriptions: ReadonlyMap<string, D>, line: PinCommandLine<O>, log: Log | undefined): Promise<S>;
  /** What is printed without `--template`. */
  document(sets: S): unknown;
  /** The description names a template refers to, and the template filled. */
  templateNames(template: unknown): string[];
  fillTemplate(template: unknown, sets: S): unknown;
}

/** Runs a pin tool on `argv` and returns its exit status; it never throws. */
export async function runPinCommand<O extends OptionsConfig, D, S>(command: PinCommand<O, D, S>, argv: readonly string[]): Promise<number> {
  try {
    const line = parseCommandLine(command, argv);
    const values = line.values as { template?: string; output?: string; quiet?: boolean; help?: boolean };
    if (values.help) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    const descriptions = command.descriptions(line);
    const template = values.template === undefined ? undefined : readJson(values.template, 'template');
    const log = values.quiet ? undefined : (text: string) => void process.stderr.write(`${text}\n`);
    if (template !== undefined) checkTemplateNames(command.templateNames(template), [...descriptions.keys()], log);
    const sets = await command.pin(descriptions, line, log);
    writeDocument(template === undefined ? command.document(sets) : command.fillTemplate(template, sets), values.output);
    return 0;
  } catch (error) {
    return reportFailure(command.program, error);
  }
}

function parseCommandLine<O extends OptionsConfig>(command: PinCommand<O, unknown, unknown>, argv: readonly string[]): PinCommandLine<O> {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options: { ...command.options, ...COMMON_OPTIONS } }) as PinCommandLine<O>;
  } catch (error) {
    throw new OsbuildError('E_USAGE', (error as Error).message, { hint: `${command.program} --help` });
  }
}

/**
 * Before pinning: every description the template names must be given (a
 * usage problem otherwise); one it does not name is pinned but only warned about.
 */
export function checkTemplateNames(wanted: readonly string[], given: readonly string[], log: Log | undefined): void {
  const missing = wanted.filter((n) => !given.includes(n));
  if (missing.length > 0) {
    const many = missing.length > 1;
    throw new OsbuildError('E_USAGE', `the template refers to description${many ? 's' : ''} ${missing.join(', ')}, which ${many ? 'are' : 'is'} not given`, {
      hint: `name a description file NAME=FILE.json (given: ${given.join(', ')})`,
    });
  }
  for (const name of given.filter((n) => !wanted.includes(n))) log?.(`warning: the template does not use description ${name}`);
}

/** Prints a failure as `PROGRAM: message` (and its hint) and returns the exit status for it. */
export function reportFailure(program: string, error: unknown): number {
  if (isOsbuildError(error)) {
    process.stderr.write(`${program}: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    return exitStatusFor(error);
  }
  process.stderr.write(`${program}: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env['OSBUILD_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}
