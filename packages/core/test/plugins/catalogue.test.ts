import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { moduleProvider, providerAdvice } from '../../src/plugins/catalogue.js';
import { MODULE_PACKAGES, UPSTREAM_MODULES } from '../../src/plugins/catalogue-data.js';
import { PLUGIN_KINDS, type PluginKind } from '../../src/plugins/types.js';

const packagesDir = path.resolve(fileURLToPath(import.meta.url), '../../../..');

interface Pkg {
  name: string;
  osbuild?: { kind: PluginKind; name: string };
}
const plugins = readdirSync(packagesDir)
  .map((dir) => {
    try {
      return JSON.parse(readFileSync(path.join(packagesDir, dir, 'package.json'), 'utf8')) as Pkg;
    } catch {
      return undefined;
    }
  })
  .filter((p): p is Required<Pkg> => p?.osbuild !== undefined);

describe('the module catalogue', () => {
  test('lists every plugin package of this repository under its own name', () => {
    expect(plugins.length).toBeGreaterThan(30);
    for (const pkg of plugins) {
      expect(moduleProvider(pkg.osbuild.kind, pkg.osbuild.name), `${pkg.name} (${pkg.osbuild.kind} ${pkg.osbuild.name})`).toEqual({
        kind: 'package',
        packageName: pkg.name,
      });
    }
  });

  test('names only packages this repository has (core provides the inputs)', () => {
    const names = new Set([...plugins.map((p) => p.name), '@osbuild-ts/core']);
    const missing = Object.entries(MODULE_PACKAGES).filter(([, name]) => !names.has(name));
    expect(missing).toEqual([]);
  });

  test('has every kind, upstream has over 170 stages, and each key is "<kind> <name>"', () => {
    expect(Object.keys(UPSTREAM_MODULES).sort()).toEqual([...PLUGIN_KINDS].sort());
    expect(UPSTREAM_MODULES['stage']!.length).toBeGreaterThan(170);
    for (const key of Object.keys(MODULE_PACKAGES)) {
      const [kind, name] = key.split(' ');
      expect(PLUGIN_KINDS).toContain(kind);
      expect(name).toMatch(/^[a-z0-9]+(\.[a-zA-Z0-9_-]+)+$/);
    }
  });

  test('says what to install, that nothing provides it yet, or nothing', () => {
    expect(providerAdvice('stage', 'org.osbuild.rpm')).toBe("'org.osbuild.rpm' is provided by @osbuild-ts/stage-rpm: npm install @osbuild-ts/stage-rpm");
    expect(providerAdvice('assembler', 'org.osbuild.tar')).toContain('@osbuild-ts/assembler-tar');
    expect(providerAdvice('stage', 'org.osbuild.ostree.deploy')).toBe("'org.osbuild.ostree.deploy' is an osbuild stage, but osbuild-ts has no package for it yet");
    expect(providerAdvice('mount', 'org.osbuild.ostree.deployment')).toContain('no package for it yet');
    expect(providerAdvice('stage', 'org.acme.motd')).toBeUndefined();
  });
});
