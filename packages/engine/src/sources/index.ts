export { fetchSources, contentTypeOf, DEFAULT_PARALLEL, type FetchSourcesOptions, type FetchSourcesResult } from './fetch-sources.js';
export { prepareSourceInput } from './source-input.js';
export { readSourceOverrides, checkSourceOverrides, type SourceOverrides } from './overrides.js';
export { sourcesResultDocument, type ItemResult } from './item-result.js';
export type { SourceEvent, SourceEventSink } from './events.js';
