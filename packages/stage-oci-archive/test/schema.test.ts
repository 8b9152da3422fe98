import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);
const tree = { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] };

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'c.tar', architecture: 'amd64' },
      {
        filename: 'c.tar',
        architecture: 'arm64',
        variant: 'v8',
        config: { Cmd: ['a'], Entrypoint: ['b'], Env: ['X=1'], ExposedPorts: ['80'], User: 'u', Labels: { a: 'b' }, StopSiganl: 'SIGINT', Volumes: ['/v'], WorkingDir: '/' },
        annotations: { 'org.osbuild.ostree.ref': 'r', 'com.example': 'x' },
      },
      { filename: 'c.tar', architecture: 'amd64', config: { StopSignal: 'SIGTERM' } },
    ]);
    schema.accepts('inputs', [{ base: tree }, { base: tree, 'layer.1': tree, 'layer.12': tree }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { filename: 'c.tar' },
      { architecture: 'amd64' },
      { filename: 'c.tar', architecture: 'amd64', config: { Healthcheck: {} } },
      { filename: 'c.tar', architecture: 'amd64', annotations: { 'org.opencontainers.image.title': 'x' } },
      { filename: 'c.tar', architecture: 'amd64', annotations: { 'org.osbuild.other': 'x' } },
    ]);
    schema.refuses('inputs', [{}, { base: tree, 'layer.0': tree }, { base: tree, layer: tree }]);
  });
});
