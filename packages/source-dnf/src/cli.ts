/**
 * `osbuild-depsolve-dnf [options] [NAME=]DESCRIPTION.json…` (or repositories
 * and package names as flags): pins package sets with dnf and prints the
 * manifest parts, or fills a manifest template with them.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { OsbuildError, exitStatusFor, isOsbuildError } from '@osbuild-ts/core';
import { parseDescription, type Description } from './description.js';
import { fillTemplate, pinDocument, templateNames } from './manifest.js';
import { pin } from './pin.js';

export const USAGE = `usage: osbuild-depsolve-dnf [options] [NAME=]DESCRIPTION.json...
       osbuild-depsolve-dnf [options] --releasever VER --baseurl ID=URL... PACKAGE...

Resolves each description (repositories, package names) with dnf and pins
every RPM, and the repository metadata dnf used, by checksum.

options:
  --template FILE      manifest template; {"osbuild-ts:dnf-depsolve": "NAME"}
                       becomes the package references of that description,
                       {"osbuild-ts:dnf-repodata": "NAME"} its repository
                       metadata, and the files are added to
                       sources."org.osbuild.librepo"
  --output FILE        where to write the result (default: stdout)
  --releasever VER     overrides the descriptions' releasever
  --arch ARCH          overrides the descriptions' arch (default: the host's)
  --baseurl ID=URL     a repository, for packages named on the command line
  --mirrorlist ID=URL  (each may be repeated; together they make one
  --metalink ID=URL     description, named by --name)
  --exclude SPEC       with the flags above: a package to leave out
  --name NAME          the command-line description's name (default: packages)
  --cache-dir DIR      keep fetched metadata (by checksum) between runs
  --overrides FILE     a source overrides file; its "org.osbuild.librepo"
                       section tunes downloads (mirrors, proxy, retries)
  -q, --quiet          no progress on stderr
  -h, --help           this text

Without --template, prints {"sources": …, "references": {NAME: […]},
"repodata": {NAME: […]}}. NAME defaults to the file name without .json.
Exit status 0, 2 for a usage problem (arguments, description, unknown
package, unresolvable dependencies), 1 otherwise.`;

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OsbuildError('E_USAGE', `cannot read ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OsbuildError('E_USAGE', `${file}: not JSON: ${(error as Error).message}`);
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}

const REPOSITORY_FLAGS = ['baseurl', 'mirrorlist', 'metalink'] as const;

/** The description the flags make: `--baseurl ID=URL`…, packages as positionals. */
function flagDescription(values: Record<string, unknown>, packages: string[]): unknown {
  const repositories = REPOSITORY_FLAGS.flatMap((type) =>
    ((values[type] as string[] | undefined) ?? []).map((spec) => {
      const eq = spec.indexOf('=');
      if (eq <= 0) throw new OsbuildError('E_USAGE', `--${type} ${spec}: expected ID=URL`, { hint: 'osbuild-depsolve-dnf --help' });
      return { id: spec.slice(0, eq), [type]: spec.slice(eq + 1) };
    }),
  );
  return {
    releasever: values['releasever'],
    ...(values['arch'] ? { arch: values['arch'] } : {}),
    repositories,
    packages,
    ...(values['exclude'] ? { exclude: values['exclude'] } : {}),
  };
}

export async function run(argv: readonly string[]): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: {
          template: { type: 'string' },
          output: { type: 'string' },
          releasever: { type: 'string' },
          arch: { type: 'string' },
          baseurl: { type: 'string', multiple: true },
          mirrorlist: { type: 'string', multiple: true },
          metalink: { type: 'string', multiple: true },
          exclude: { type: 'string', multiple: true },
          name: { type: 'string' },
          'cache-dir': { type: 'string' },
          overrides: { type: 'string' },
          quiet: { type: 'boolean', short: 'q' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (error) {
      throw new OsbuildError('E_USAGE', (error as Error).message, { hint: 'osbuild-depsolve-dnf --help' });
    }
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const descriptions = new Map<string, Description>();
    if (REPOSITORY_FLAGS.some((type) => values[type] !== undefined)) {
      if (positionals.length === 0) throw new OsbuildError('E_USAGE', 'no package named', { hint: 'osbuild-depsolve-dnf --help' });
      descriptions.set(values.name ?? 'packages', parseDescription(flagDescription(values, positionals), 'the command line'));
    } else {
      if (positionals.length === 0) throw new OsbuildError('E_USAGE', 'no description given (and no --baseurl, --mirrorlist or --metalink)', { hint: 'osbuild-depsolve-dnf --help' });
      if (values.exclude || values.name) throw new OsbuildError('E_USAGE', '--exclude and --name go with repositories given as flags; put them in the description');
      for (const arg of positionals) {
        const eq = arg.indexOf('=');
        const file = eq > 0 ? arg.slice(eq + 1) : arg;
        const name = eq > 0 ? arg.slice(0, eq) : basename(file).replace(/\.json$/, '');
        if (descriptions.has(name)) throw new OsbuildError('E_USAGE', `two descriptions are named ${name}`);
        const description = readJson(file, 'description') as Record<string, unknown>;
        // --releasever stands in for a description's missing one too.
        const withFlags = values.releasever && typeof description === 'object' && description !== null ? { ...description, releasever: values.releasever } : description;
        descriptions.set(name, parseDescription(withFlags, file));
      }
    }
    const template = values.template === undefined ? undefined : readJson(values.template, 'template');
    const log = values.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
    if (template !== undefined) {
      const wanted = templateNames(template);
      const missing = wanted.filter((n) => !descriptions.has(n));
      if (missing.length > 0) {
        throw new OsbuildError('E_USAGE', `the template refers to description${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not given`, {
          hint: `name a description file NAME=FILE.json (given: ${[...descriptions.keys()].join(', ')})`,
        });
      }
      for (const name of [...descriptions.keys()].filter((n) => !wanted.includes(n))) log?.(`warning: the template does not use description ${name}`);
    }
    const overrides = values.overrides === undefined ? undefined : (readJson(values.overrides, 'overrides file') as Record<string, unknown>)?.['org.osbuild.librepo'];
    let sets;
    try {
      sets = await pin(descriptions, {
        ...(values['cache-dir'] ? { cacheDir: values['cache-dir'] } : {}),
        ...(values.releasever ? { releasever: values.releasever } : {}),
        ...(values.arch ? { arch: values.arch } : {}),
        ...(overrides !== undefined ? { overrides } : {}),
        ...(log ? { log } : {}),
      });
    } catch (error) {
      // A bad overrides section is a usage problem, like the description.
      if (!isOsbuildError(error) && /^source overrides for/.test((error as Error).message)) throw new OsbuildError('E_USAGE', (error as Error).message);
      throw error;
    }
    const document = template === undefined ? pinDocument(sets) : fillTemplate(template, sets);
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (values.output) writeAtomically(values.output, text);
    else process.stdout.write(text);
    return 0;
  } catch (error) {
    if (isOsbuildError(error)) {
      process.stderr.write(`osbuild-depsolve-dnf: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
      return exitStatusFor(error);
    }
    process.stderr.write(`osbuild-depsolve-dnf: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env['OSBUILD_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
