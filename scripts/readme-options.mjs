#!/usr/bin/env node
// Writes the options table of each plugin package's README from its schema
// file, between `<!-- options:start … -->` and `<!-- options:end -->`. A
// README without the markers gets them in place of the first table under its
// "## Options" heading (or a new "## Options" section before the second
// heading). Both schema forms are read: a plain options schema, or osbuild's
// {options, …} with shared definitions.
//
// usage: node scripts/readme-options.mjs [--check] [PACKAGE-DIR…]   (default: every packages/* with an "osbuild" field)
//   --check   write nothing; exit 1 naming each README whose table is stale
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const START = '<!-- options:start (generated from schema.json) -->';
export const END = '<!-- options:end -->';
const PARTS = ['options', 'inputs', 'devices', 'mounts', 'items'];

/** The options schema and the definitions `$ref`s resolve against, from either form. */
export function optionsSchema(file) {
  const plain = !Object.keys(file).some((k) => PARTS.includes(k)) && Object.keys(file).some((k) => !['definitions', '$defs', '$schema', '$id', '$comment', 'title', 'description'].includes(k));
  if (plain) return { schema: file, definitions: { ...file.definitions, ...file.$defs } };
  return { schema: file.options ?? {}, definitions: { ...file.definitions, ...file.$defs, ...file.options?.definitions } };
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();

function resolve(schema, definitions, seen = new Set()) {
  if (schema && typeof schema.$ref === 'string') {
    const name = schema.$ref.replace(/^#\/(definitions|\$defs)\//, '');
    if (seen.has(name) || definitions[name] === undefined) return schema;
    seen.add(name);
    return { ...resolve(definitions[name], definitions, seen), ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$ref')) };
  }
  return schema ?? {};
}

function typeOf(raw, definitions) {
  const schema = resolve(raw, definitions);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' or ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return [...new Set(alternatives.map((a) => typeOf(a, definitions)))].join(' or ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return schema.properties ? 'object' : 'any';
  return types
    .map((t) => (t === 'array' && schema.items && !Array.isArray(schema.items) ? `array of ${typeOf(schema.items, definitions)}` : t))
    .join(' or ');
}

function rows(schema, definitions, prefix, depth) {
  const object = resolve(schema, definitions);
  const required = new Set(object.required ?? []);
  const out = [];
  for (const [name, raw] of Object.entries(object.properties ?? {})) {
    const prop = resolve(raw, definitions);
    const key = `${prefix}${name}`;
    const description = prop.description ?? raw.description ?? '';
    out.push(`| \`${key}\` | ${cell(typeOf(raw, definitions))} | ${required.has(name) ? 'yes' : 'no'} | ${prop.default === undefined ? '' : `\`${cell(JSON.stringify(prop.default))}\``} | ${cell(description)} |`);
    if (depth >= 2) continue;
    if (prop.properties) out.push(...rows(prop, definitions, `${key}.`, depth + 1));
    const items = prop.items && !Array.isArray(prop.items) ? resolve(prop.items, definitions) : undefined;
    if (items?.properties) out.push(...rows(items, definitions, `${key}[].`, depth + 1));
    const patterns = Object.values(prop.patternProperties ?? {}).map((p) => resolve(p, definitions));
    if (patterns.length === 1 && patterns[0].properties) out.push(...rows(patterns[0], definitions, `${key}.*.`, depth + 1));
  }
  return out;
}

/** The marked section for a parsed schema file. */
export function optionsSection(file) {
  const { schema, definitions } = optionsSchema(file);
  const body = rows(schema, definitions, '', 1);
  let text;
  if (body.length > 0) text = ['| option | type | required | default | description |', '|---|---|---|---|---|', ...body].join('\n');
  else if (resolve(schema, definitions).additionalProperties === false) text = 'Takes no options.';
  else text = 'The options are described by `schema.json` (no fixed properties).';
  return `${START}\n${text}\n${END}`;
}

/** The option names (first column) of a Markdown table's rows. */
function tableKeys(rowsText) {
  return rowsText.slice(2).map((row) => /^\|\s*`([^`]+)`/.exec(row)?.[1] ?? row);
}

/**
 * The README with its section (re)written. A hand-written table under
 * "## Options" is replaced only when the generated one covers every option
 * it lists; otherwise (a behaviour table, say) it stays, after the generated one.
 */
export function fillReadme(readme, section) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start !== -1 && end > start) return readme.slice(0, start) + section + readme.slice(end + END.length);
  const lines = readme.split('\n');
  const heading = lines.findIndex((l) => /^## Options\b/.test(l));
  if (heading !== -1) {
    let i = heading + 1;
    while (i < lines.length && !lines[i].startsWith('|') && !lines[i].startsWith('## ')) i++;
    if (i < lines.length && lines[i].startsWith('|')) {
      let j = i;
      while (j < lines.length && lines[j].startsWith('|')) j++;
      const generated = new Set(tableKeys(section.split('\n').slice(1, -1)));
      const covered = tableKeys(lines.slice(i, j)).every((key) => generated.has(key));
      return [...lines.slice(0, i), section, ...(covered ? [] : ['']), ...lines.slice(covered ? j : i)].join('\n');
    }
    return [...lines.slice(0, heading + 1), '', section, ...lines.slice(heading + 1)].join('\n');
  }
  const second = lines.findIndex((l, n) => n > 0 && l.startsWith('## '));
  const at = second === -1 ? lines.length : second;
  return [...lines.slice(0, at), '## Options', '', section, '', ...lines.slice(at)].join('\n');
}

export function pluginDirs() {
  const packages = path.join(root, 'packages');
  return readdirSync(packages)
    .map((d) => path.join(packages, d))
    .filter((d) => existsSync(path.join(d, 'package.json')) && JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')).osbuild !== undefined)
    .sort();
}

/** [readme path, current text, wanted text] for a plugin package directory. */
export function readmeState(dir) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = JSON.parse(readFileSync(path.join(dir, pkg.osbuild.schema), 'utf8'));
  const readmePath = path.join(dir, 'README.md');
  const current = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : `# ${pkg.name}\n\n\`${pkg.osbuild.name}\`.\n`;
  return [readmePath, current, fillReadme(current, optionsSection(file))];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const dirs = args.filter((a) => a !== '--check').map((d) => path.resolve(d));
  const stale = [];
  for (const dir of dirs.length > 0 ? dirs : pluginDirs()) {
    const [readmePath, current, wanted] = readmeState(dir);
    if (current === wanted) continue;
    stale.push(path.relative(root, readmePath));
    if (!check) writeFileSync(readmePath, wanted);
  }
  if (check && stale.length > 0) {
    process.stderr.write(`options tables out of date (run node scripts/readme-options.mjs):\n${stale.map((s) => `  ${s}`).join('\n')}\n`);
    process.exitCode = 1;
  } else if (!check) {
    process.stdout.write(stale.length === 0 ? 'every options table is up to date\n' : `rewrote ${stale.length} README options tables\n`);
  }
}
