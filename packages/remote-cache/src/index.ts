export {
  openRemoteCache,
  ARTIFACT_TYPE,
  CONFIG_TYPE,
  LAYER_TYPE,
  MANIFEST_TYPE,
  type RemoteCache,
  type RemoteCacheMode,
  type RemoteCacheOptions,
  type RemoteEvent,
} from './cache.js';
export { parseCacheLocation, isLoopback, RemoteCacheUsageError, type CacheLocation } from './location.js';
export { authFiles, findCredentials, parseChallenge, type Credentials } from './auth.js';
export { RegistryClient, RegistryError, DigestMismatch, type OciManifest, type Descriptor } from './registry.js';
export { packLayer, unpackLayer, type Packed, type Unpacked } from './pack.js';
