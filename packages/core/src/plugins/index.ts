export { discoverPlugins, clearDiscoveryCache, type DiscoverOptions } from './discover.js';
export { createRegistry } from './registry.js';
export { fingerprint, clearFingerprintCache, hashPackage } from './fingerprint.js';
export {
  PLUGIN_KINDS,
  SUPPORTED_API_VERSIONS,
  type PluginKind,
  type PluginRecord,
  type PluginTool,
  type PluginFingerprint,
  type DiscoveryInfo,
  type Registry,
} from './types.js';
export { builtinPlugins } from './builtins.js';
export { moduleProvider, providerAdvice, type ModuleProvider } from './catalogue.js';
