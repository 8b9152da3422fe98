import { expect, test } from 'vitest';
import * as plugins from '../../src/plugins/index.js';

test('exports exactly the plugin API', () => {
  expect(Object.keys(plugins).sort()).toEqual([
    'PLUGIN_KINDS',
    'SUPPORTED_API_VERSIONS',
    'builtinPlugins',
    'clearDiscoveryCache',
    'clearFingerprintCache',
    'createRegistry',
    'discoverPlugins',
    'fingerprint',
    'hashPackage',
    'moduleProvider',
    'providerAdvice',
  ]);
});
