export {
  CHECKSUM_ALGORITHMS,
  checksumParts,
  createChecksumHash,
  digestChecksum,
  hashFile,
  parseChecksum,
  verifyFile,
  type ChecksumAlgorithm,
  type ParsedChecksum,
  type Verification,
} from './checksum.js';
export { commitToCache } from './commit.js';
export { createLimiter, forEachLimited } from './pool.js';
export { runSource, type ItemOutcome, type SourceReporter } from './run-source.js';
export {
  SOURCE_API_VERSION,
  type ErrorMessage,
  type FailureReason,
  type ItemMessage,
  type ProgressMessage,
  type SourceMessage,
  type SourceRequest,
} from './protocol.js';
