import { expect, it } from 'vitest';
import * as manifest from '../../src/manifest/index.js';

it('exports exactly the manifest API', () => {
  expect(Object.keys(manifest).sort()).toEqual(
    [
      'RUNNER_FILES',
      'compileFnmatch',
      'describeManifest',
      'detectVersion',
      'deviceId',
      'fnmatch',
      'getPipeline',
      'hostRunner',
      'hostRunnerName',
      'inputId',
      'loadManifest',
      'matchCheckpoints',
      'missingSourceReferences',
      'mountId',
      'parseOsRelease',
      'parseRunnerName',
      'resolveExports',
      'resolveRunner',
      'stageId',
    ].sort(),
  );
});
