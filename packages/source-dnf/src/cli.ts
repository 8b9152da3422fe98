/**
 * `osbuild-depsolve-dnf [options] [NAME=]DESCRIPTION.json…` (or repositories
 * and package names as flags): pins package sets with dnf and prints the
 * manifest parts, or fills a manifest template with them.
 */
import { OsbuildError, isOsbuildError } from '@osbuild-ts/core';
import { readDescriptionFiles, readJson, runPinCommand, type PinCommand, type PinCommandLine } from '@osbuild-ts/pin-kit';
import { parseDescription, type Description } from './description.js';
import { fillTemplate, pinDocument, templateNames } from './manifest.js';
import { pin, type PinnedSet } from './pin.js';

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

const OPTIONS = {
  releasever: { type: 'string' },
  arch: { type: 'string' },
  baseurl: { type: 'string', multiple: true },
  mirrorlist: { type: 'string', multiple: true },
  metalink: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  name: { type: 'string' },
  'cache-dir': { type: 'string' },
  overrides: { type: 'string' },
} as const;

/** The descriptions: one from the repository flags and package names, or each `[NAME=]FILE`. */
function descriptions({ values, positionals }: PinCommandLine<typeof OPTIONS>): Map<string, Description> {
  if (REPOSITORY_FLAGS.some((type) => values[type] !== undefined)) {
    if (positionals.length === 0) throw new OsbuildError('E_USAGE', 'no package named', { hint: 'osbuild-depsolve-dnf --help' });
    return new Map([[values.name ?? 'packages', parseDescription(flagDescription(values, positionals), 'the command line')]]);
  }
  if (positionals.length === 0) throw new OsbuildError('E_USAGE', 'no description given (and no --baseurl, --mirrorlist or --metalink)', { hint: 'osbuild-depsolve-dnf --help' });
  if (values.exclude || values.name) throw new OsbuildError('E_USAGE', '--exclude and --name go with repositories given as flags; put them in the description');
  return readDescriptionFiles(positionals, (description, file) =>
    // --releasever stands in for a description's missing one too.
    parseDescription(values.releasever && typeof description === 'object' && description !== null ? { ...description, releasever: values.releasever } : description, file),
  );
}

const command: PinCommand<typeof OPTIONS, Description, Map<string, PinnedSet>> = {
  program: 'osbuild-depsolve-dnf',
  usage: USAGE,
  options: OPTIONS,
  descriptions,
  async pin(descriptions, { values }, log) {
    const overrides = values.overrides === undefined ? undefined : (readJson(values.overrides, 'overrides file') as Record<string, unknown>)?.['org.osbuild.librepo'];
    try {
      return await pin(descriptions, {
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
  },
  document: pinDocument,
  templateNames,
  fillTemplate,
};

export function run(argv: readonly string[]): Promise<number> {
  return runPinCommand(command, argv);
}
