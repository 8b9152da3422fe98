/**
 * `osbuild-debian-pin [options] [NAME=]DESCRIPTION.json…`: pins descriptions
 * and prints the manifest parts, or fills a manifest template with them.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { OsbuildError, exitStatusFor, isOsbuildError } from '@osbuild-ts/core';
import { parseDescription, type Description } from './description.js';
import { fetchDebs } from './fetch-debs.js';
import { fillTemplate, pinDocument, templateNames } from './manifest.js';
import { pin } from './pin.js';

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
          mirror: { type: 'string' },
          'cache-dir': { type: 'string' },
          'no-update': { type: 'boolean' },
          fetch: { type: 'string' },
          quiet: { type: 'boolean', short: 'q' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (error) {
      throw new OsbuildError('E_USAGE', (error as Error).message, { hint: 'osbuild-debian-pin --help' });
    }
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new OsbuildError('E_USAGE', 'no description given', { hint: 'osbuild-debian-pin --help' });
    const descriptions = new Map<string, Description>();
    for (const arg of positionals) {
      const eq = arg.indexOf('=');
      const file = eq > 0 ? arg.slice(eq + 1) : arg;
      const name = eq > 0 ? arg.slice(0, eq) : basename(file).replace(/\.json$/, '');
      if (descriptions.has(name)) throw new OsbuildError('E_USAGE', `two descriptions are named ${name}`);
      descriptions.set(name, parseDescription(readJson(file, 'description'), file));
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
      const unused = [...descriptions.keys()].filter((n) => !wanted.includes(n));
      for (const name of unused) log?.(`warning: the template does not use description ${name}`);
    }
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
    const document = template === undefined ? pinDocument(sets) : fillTemplate(template, sets);
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (values.output) writeAtomically(values.output, text);
    else process.stdout.write(text);
    return 0;
  } catch (error) {
    if (isOsbuildError(error)) {
      process.stderr.write(`osbuild-debian-pin: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
      return exitStatusFor(error);
    }
    process.stderr.write(`osbuild-debian-pin: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.OSBUILD_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
