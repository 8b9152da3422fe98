/**
 * `osbuild-debian-pin [options] [NAME=]DESCRIPTION.json…`: pins descriptions
 * and prints the manifest parts, or fills a manifest template with them.
 */
import { OsbuildError } from '@osbuild-ts/core';
import { readDescriptionFiles, runPinCommand, type PinCommand } from '@osbuild-ts/pin-kit';
import { parseDescription, type Description } from './description.js';
import { fetchDebs } from './fetch-debs.js';
import { fillTemplate, pinDocument, templateNames } from './manifest.js';
import { pin, type PinnedSet } from './pin.js';

export const USAGE = `usage: osbuild-debian-pin [options] [NAME=]DESCRIPTION.json...

Resolves each description (suite, variant, packages) against a Debian mirror
with apt and pins every .deb by SHA-256.

options:
  --template FILE    manifest template; each {"osbuild-ts:debian-pin": "NAME"}
                     becomes the references of that description, and the .debs
                     are added to sources."org.osbuild.curl".items
  --output FILE      where to write the filled manifest (default: stdout)
  --mirror URI       pin against this archive instead of the description's
                     "mirror" or the host's apt configuration
  --cache-dir DIR    private apt state kept between runs
                     (default: /var/cache/osbuild-ts/debian-pin as root)
  --no-update        use the cached index, do not contact the mirror
  --fetch DIR        also download the pinned .debs into DIR, named by checksum
  -q, --quiet        no progress on stderr
  -h, --help         this text

Without --template, prints {"sources": …, "references": {NAME: […]}}.
NAME defaults to the file name without .json.`;

const OPTIONS = {
  mirror: { type: 'string' },
  'cache-dir': { type: 'string' },
  'no-update': { type: 'boolean' },
  fetch: { type: 'string' },
} as const;

const command: PinCommand<typeof OPTIONS, Description, Map<string, PinnedSet>> = {
  program: 'osbuild-debian-pin',
  usage: USAGE,
  options: OPTIONS,
  descriptions({ positionals }) {
    if (positionals.length === 0) throw new OsbuildError('E_USAGE', 'no description given', { hint: 'osbuild-debian-pin --help' });
    return readDescriptionFiles(positionals, parseDescription);
  },
  async pin(descriptions, { values }, log) {
    const sets = await pin(descriptions, {
      ...(values['cache-dir'] ? { cacheDir: values['cache-dir'] } : {}),
      ...(values.mirror ? { mirror: values.mirror } : {}),
      update: !values['no-update'],
      ...(log ? { log } : {}),
    });
    if (values.fetch) {
      const all = [...sets.values()].flatMap((s) => s.packages);
      const fetched = await fetchDebs(all, values.fetch);
      log?.(`fetched ${fetched} .debs into ${values.fetch} (${all.length - fetched} were there)`);
    }
    return sets;
  },
  document: pinDocument,
  templateNames,
  fillTemplate,
};

export function run(argv: readonly string[]): Promise<number> {
  return runPinCommand(command, argv);
}
