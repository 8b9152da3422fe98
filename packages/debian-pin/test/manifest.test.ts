import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '@osbuild-ts/core';
import { fillTemplate, pinDocument, references, templateNames } from '../src/manifest.js';
import type { PinnedSet } from '../src/pin.js';
import type { PinnedPackage } from '../src/resolve.js';

const hex = (c: string) => c.repeat(64);
const pkg = (name: string, c: string): PinnedPackage => ({
  name,
  version: '1.0-1',
  architecture: 'amd64',
  priority: 'optional',
  sha256: hex(c),
  size: 10,
  filename: `pool/main/${name[0]}/${name}/${name}_1.0-1_amd64.deb`,
  url: `http://mirror.invalid/debian/pool/main/${name[0]}/${name}/${name}_1.0-1_amd64.deb`,
});
const set = (name: string, packages: PinnedPackage[]): PinnedSet => ({ name, description: { suite: 'bookworm' }, mirror: 'http://mirror.invalid/debian/', architecture: 'amd64', packages });
const sets = new Map([
  ['base', set('base', [pkg('a', 'a'), pkg('b', 'b')])],
  ['extra', set('extra', [pkg('c', 'c')])],
]);

describe('manifest parts', () => {
  it('references keep the set order and carry the metadata the stages read', () => {
    expect(references(sets.get('base')!.packages)[0]).toEqual({
      id: `sha256:${hex('a')}`,
      options: { metadata: { 'deb.package': 'a', 'deb.version': '1.0-1', 'deb.priority': 'optional' } },
    });
    for (const key of Object.keys(references([pkg('a', 'a')])[0]!.options.metadata)) expect(key).toMatch(/^\w+[.]{1}\w+$/);
  });

  it('prints curl items and references per description without a template', () => {
    const doc = pinDocument(sets) as { sources: Record<string, { items: Record<string, unknown> }>; references: Record<string, unknown[]> };
    expect(Object.keys(doc.sources['org.osbuild.curl']!.items)).toEqual([`sha256:${hex('a')}`, `sha256:${hex('b')}`, `sha256:${hex('c')}`]);
    expect(doc.sources['org.osbuild.curl']!.items[`sha256:${hex('c')}`]).toEqual({ url: pkg('c', 'c').url });
    expect(Object.keys(doc.references)).toEqual(['base', 'extra']);
  });

  it('fills placeholders and merges the items into existing sources', () => {
    const template = {
      version: '2',
      sources: { 'org.osbuild.curl': { items: { [`sha256:${hex('a')}`]: { url: 'kept' }, [`sha256:${hex('f')}`]: 'other' } }, 'org.osbuild.inline': { items: {} } },
      pipelines: [
        {
          name: 'os',
          stages: [
            { type: 'io.github.osbuild-ts.debian.rootfs', inputs: { debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { 'osbuild-ts:debian-pin': 'base' } } } },
          ],
        },
      ],
    };
    expect(templateNames(template)).toEqual(['base']);
    const filled = fillTemplate(template, sets) as typeof template;
    const refs = filled.pipelines[0]!.stages[0]!.inputs.debs.references as unknown as { id: string }[];
    expect(refs.map((r) => r.id)).toEqual([`sha256:${hex('a')}`, `sha256:${hex('b')}`]);
    expect(filled.sources['org.osbuild.curl'].items).toEqual({
      [`sha256:${hex('a')}`]: { url: 'kept' },
      [`sha256:${hex('f')}`]: 'other',
      [`sha256:${hex('b')}`]: { url: pkg('b', 'b').url },
    });
    expect(filled.sources['org.osbuild.inline']).toEqual({ items: {} });
    // The template itself is left alone.
    expect(template.pipelines[0]!.stages[0]!.inputs.debs.references).toEqual({ 'osbuild-ts:debian-pin': 'base' });
  });

  it('adds a sources section when the template has none, with only the sets it uses', () => {
    const filled = fillTemplate({ pipelines: [{ x: { 'osbuild-ts:debian-pin': 'extra' } }] }, sets) as Record<string, Record<string, { items: object }>>;
    expect(Object.keys(filled.sources!['org.osbuild.curl']!.items)).toEqual([`sha256:${hex('c')}`]);
  });

  it('names the path of a placeholder whose description is not given', () => {
    try {
      fillTemplate({ pipelines: [{ stages: [{ inputs: { debs: { references: { 'osbuild-ts:debian-pin': 'nope' } } } }] }] }, sets);
      expect.unreachable();
    } catch (error) {
      expect(isOsbuildError(error) && error.code).toBe('E_MANIFEST_INVALID');
      expect((error as Error).message).toBe('template.pipelines[0].stages[0].inputs.debs.references: no description named "nope" (given: base, extra)');
    }
  });
});
