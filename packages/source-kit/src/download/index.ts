/**
 * `@osbuild-ts/source-kit/download`: the download engine of the sources that
 * fetch over http, https and file URLs (`org.osbuild.curl`,
 * `org.osbuild.librepo`): candidate URLs tried in passes with backoff,
 * Range resume, proxy, speed limits, hashing while writing, and the
 * overrides file's section that tunes it.
 */
export { createAgents, type Agents } from './agents.js';
export { downloadContext, downloadItem, type DownloadContext, type DownloadRequest } from './download-item.js';
export { fetchDocument, type DocumentContext } from './fetch-document.js';
export { createHostHealth, type HostHealth } from './host-health.js';
export { candidateUrls, parseDownloadOverrides, type DownloadOverrides, type MirrorRule, type OverridesContext } from './overrides.js';
export { quotePath, quoteUrl } from './quote-url.js';
export { userAgent } from './user-agent.js';
export { asTransferError, isTransferError, transferError, type TransferError } from './transfer-error.js';
