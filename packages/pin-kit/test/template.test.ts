import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '@osbuild-ts/core';
import * as kit from '../src/index.js';
import { checkTemplateNames, descriptionArgument, fillPlaceholders, mergeItems, placeholderIn, templateNames, templateSource, type Json } from '../src/index.js';

const KEYS = { 'test:packages': 'packages', 'test:repodata': 'repodata' } as const;

function thrown(fn: () => unknown): { code: string; message: string; hint: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (!isOsbuildError(error)) throw error;
    return { code: error.code, message: error.message, hint: error.hint };
  }
  throw new Error('expected an OsbuildError');
}

describe('@osbuild-ts/pin-kit', () => {
  it('exports exactly its API', () => {
    expect(Object.keys(kit).sort()).toEqual(
      ['COMMON_OPTIONS', 'checkTemplateNames', 'descriptionArgument', 'fillPlaceholders', 'mergeItems', 'placeholderIn', 'readDescriptionFiles', 'readJson', 'reportFailure', 'runPinCommand', 'templateNames', 'templateSource', 'writeAtomically', 'writeDocument'].sort(),
    );
  });

  it('names a description argument by NAME= or by its file name', () => {
    expect(descriptionArgument('base=dir/debian.json')).toEqual({ name: 'base', file: 'dir/debian.json' });
    expect(descriptionArgument('dir/debian.json')).toEqual({ name: 'debian', file: 'dir/debian.json' });
    expect(descriptionArgument('=odd.json')).toEqual({ name: '=odd', file: '=odd.json' });
  });
});

describe('placeholders', () => {
  it('are objects whose only key is a placeholder key', () => {
    expect(placeholderIn({ 'test:packages': 'os' }, KEYS)).toEqual({ kind: 'packages', name: 'os' });
    expect(placeholderIn({ 'test:repodata': 7 }, KEYS)).toEqual({ kind: 'repodata', name: '' });
    expect(placeholderIn({ 'test:packages': 'os', other: 1 }, KEYS)).toBeUndefined();
    expect(placeholderIn({ constructor: 'os' }, KEYS)).toBeUndefined();
    expect(placeholderIn(['test:packages'], KEYS)).toBeUndefined();
    expect(placeholderIn('test:packages', KEYS)).toBeUndefined();
  });

  it('templateNames lists each name once, in order of appearance, inside arrays and objects', () => {
    const template = { a: [{ 'test:repodata': 'two' }, { b: { 'test:packages': 'one' } }], c: { 'test:packages': 'two' } };
    expect(templateNames(template, KEYS)).toEqual(['two', 'one']);
    expect(templateNames(null, KEYS)).toEqual([]);
  });

  it('fillPlaceholders replaces each with its references and leaves the template alone', () => {
    const template = { version: '2', pipelines: [{ inputs: { r: { references: { 'test:packages': 'os' } }, m: { references: { 'test:repodata': 'os' } } } }] };
    const seen: string[] = [];
    const filled = fillPlaceholders(template, KEYS, new Map([['os', ['x']]]), ({ kind, name }, set) => (seen.push(`${kind} ${name}`), set.map((s) => `${kind}:${s}`)));
    expect(filled).toEqual({ version: '2', pipelines: [{ inputs: { r: { references: ['packages:x'] }, m: { references: ['repodata:x'] } } }] });
    expect(seen).toEqual(['packages os', 'repodata os']);
    expect(template.pipelines[0]!.inputs.r.references).toEqual({ 'test:packages': 'os' });
  });

  it('names the path of a placeholder whose set is not given, and refuses a template that is not an object', () => {
    const sets = new Map([['a', 1], ['b', 2]]);
    expect(thrown(() => fillPlaceholders({ p: [{ s: { 'test:packages': 'nope' } }] }, KEYS, sets, () => 0))).toMatchObject({
      code: 'E_MANIFEST_INVALID',
      message: 'template.p[0].s: no description named "nope" (given: a, b)',
    });
    expect(thrown(() => fillPlaceholders({ 'test:packages': 'x' }, KEYS, new Map(), () => 0)).message).toBe('template: no description named "x" (given: none)');
    expect(thrown(() => fillPlaceholders([], KEYS, sets, () => 0))).toMatchObject({ code: 'E_MANIFEST_INVALID', message: 'the template is not a JSON object' });
  });
});

describe('template sources', () => {
  it('makes sources and the section where missing; items already written are kept', () => {
    const filled: Record<string, Json> = { version: '2' };
    const section = templateSource(filled, 'org.osbuild.curl');
    mergeItems(section, { a: { url: 'new' } });
    expect(filled).toEqual({ version: '2', sources: { 'org.osbuild.curl': { items: { a: { url: 'new' } } } } });
    mergeItems(templateSource(filled, 'org.osbuild.curl'), { a: { url: 'other' }, b: 'b' });
    expect(filled['sources']).toEqual({ 'org.osbuild.curl': { items: { a: { url: 'new' }, b: 'b' } } });
    expect(thrown(() => templateSource({ sources: [] }, 'org.osbuild.curl')).message).toBe('template.sources is not an object');
  });
});

describe('checkTemplateNames', () => {
  it('refuses missing descriptions (one or several) and warns about unused ones', () => {
    expect(thrown(() => checkTemplateNames(['x'], ['a'], undefined))).toEqual({
      code: 'E_USAGE',
      message: 'the template refers to description x, which is not given',
      hint: 'name a description file NAME=FILE.json (given: a)',
    });
    expect(thrown(() => checkTemplateNames(['x', 'a', 'y'], ['a'], undefined)).message).toBe('the template refers to descriptions x, y, which are not given');
    const lines: string[] = [];
    checkTemplateNames(['a'], ['a', 'b', 'c'], (line) => lines.push(line));
    expect(lines).toEqual(['warning: the template does not use description b', 'warning: the template does not use description c']);
  });
});
