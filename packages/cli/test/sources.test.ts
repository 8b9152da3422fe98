import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from './project.js';
import { osbuild } from './run-cli.js';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const body = 'hello from a source\n';
const checksum = `sha256:${createHash('sha256').update(body).digest('hex')}`;

describe('building with sources', () => {
  let server: Server;
  let url: string;
  let project: string;
  let requests = 0;
  beforeAll(async () => {
    project = makeProject();
    server = createServer((req, res) => {
      requests++;
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/pool/hello.txt`;
  });
  afterAll(() => server.close());

  it('fetches by checksum, gives the file to the stage, and rebuilds offline from the cache', async () => {
    const store = temp('osbuild-store-');
    const file = join(temp('osbuild-manifest-'), 'm.json');
    writeFileSync(file, JSON.stringify({
      version: '2',
      sources: { 'org.osbuild.curl': { items: { [checksum]: url } } },
      pipelines: [{
        name: 'os',
        stages: [{
          type: 'org.osbuild.copy',
          inputs: { files: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [checksum] } },
          options: { paths: [{ from: `input://files/${checksum}`, to: 'tree:///hello.txt' }] },
        }],
      }],
    }));
    const out = temp('osbuild-out-');
    const args = ['--libdir', project, '--store', store, '--export', 'os', '--output-directory', out, file];
    const first = await osbuild(['--json', ...args]);
    expect(first.status, first.stderr).toBe(0);
    expect(readFileSync(join(out, 'os', 'hello.txt'), 'utf8')).toBe(body);
    expect(JSON.parse(first.stdout).sources).toEqual({ success: true, 'org.osbuild.curl': [{ cached: false, checksum }] });
    const seen = requests;

    const again = await osbuild(['--offline', '--json', ...args]);
    expect(again.status, again.stderr).toBe(0);
    expect(requests).toBe(seen);
    expect(JSON.parse(again.stdout).sources['org.osbuild.curl']).toEqual([{ cached: true, checksum }]);
  });

  it('--offline with an item missing fails at once, naming it', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    const file = join(temp('osbuild-manifest-'), 'm.json');
    writeFileSync(file, JSON.stringify({ version: '2', sources: { 'org.osbuild.curl': { items: { [missing]: url } } }, pipelines: [{ name: 'os' }] }));
    const r = await osbuild(['--libdir', project, '--store', temp('osbuild-store-'), '--offline', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toContain(url);
  });

  it('a wrong checksum names the item, the URL and both checksums', async () => {
    const wrong = `sha256:${'1'.repeat(64)}`;
    const file = join(temp('osbuild-manifest-'), 'm.json');
    writeFileSync(file, JSON.stringify({ version: '2', sources: { 'org.osbuild.curl': { items: { [wrong]: url } } }, pipelines: [{ name: 'os' }] }));
    const r = await osbuild(['--libdir', project, '--store', temp('osbuild-store-'), '--json', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(wrong);
    expect(r.stderr).toContain(checksum);
    expect(r.stderr).toContain(url);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ type: 'error', success: false, error: { type: 'org.osbuild.error.source', details: { source: { type: 'org.osbuild.curl' } } } });
  });
});
