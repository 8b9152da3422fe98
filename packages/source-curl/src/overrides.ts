import { parseDownloadOverrides, type DownloadOverrides } from '@osbuild-ts/source-kit/download';

/** The `org.osbuild.curl` section of the overrides file; the proxy defaults to `$OSBUILD_SOURCES_CURL_PROXY`. */
export function parseOverrides(raw: unknown, env: NodeJS.ProcessEnv = process.env): DownloadOverrides {
  return parseDownloadOverrides(raw, { source: 'org.osbuild.curl', proxyVariable: 'OSBUILD_SOURCES_CURL_PROXY', env });
}
