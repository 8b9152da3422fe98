// @osbuild-ts/source-kit/testing: what the tests of sources (and of what runs
// them) use. The test server closes itself when the test ends through a
// vitest hook (vitest is an optional peer).
export { parseMessage, runSourceLocally, type LocalSourceResult, type LocalSourceRun } from './run-source-locally.js';
export { breakOff, closedPort, startTestServer, type BeforeServing, type ServedRequest, type TestServer, type TestServerOptions } from './test-server.js';
