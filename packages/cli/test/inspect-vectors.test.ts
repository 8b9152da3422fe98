import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, vectorsDir } from './project.js';
import { osbuild } from './run-cli.js';

const vectors = readdirSync(vectorsDir)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.inspect.json'))
  .map((f) => f.slice(0, -'.json'.length));

describe('osbuild --inspect matches upstream byte for byte', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject();
  });

  it('has all the vectors', () => {
    expect(vectors.length).toBe(14);
  });

  for (const name of vectors) {
    it(name, async () => {
      const expected = readFileSync(join(vectorsDir, `${name}.inspect.json`), 'latin1');
      const r = await osbuild(['--libdir', project, '--inspect', join(vectorsDir, `${name}.json`)]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(expected);
    });
  }

  it('reads the manifest from stdin with "-"', async () => {
    const text = readFileSync(join(vectorsDir, 'v2-minimal.json'), 'utf8');
    const r = await osbuild(['--libdir', project, '--inspect', '-'], { input: text });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(vectorsDir, 'v2-minimal.inspect.json'), 'latin1'));
  });
});
