import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '../../src/errors.js';
import { getPipeline, matchCheckpoints, resolveExports } from '../../src/manifest/select.js';
import { loadFile } from './inspect-helper.js';

const chain = loadFile(fileURLToPath(new URL('../vectors/v2-build-chain.json', import.meta.url)));
const [build, os, archive] = chain.pipelines;

function thrown(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isOsbuildError(error)) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('getPipeline', () => {
  it('finds by name first, then by id', () => {
    expect(getPipeline(chain, 'os')).toBe(os);
    expect(getPipeline(chain, os?.id as string)).toBe(os);
    expect(getPipeline(chain, 'nope')).toBeUndefined();
  });
});

describe('resolveExports', () => {
  it('accepts names and ids, keeps the name as given, drops duplicates', () => {
    const exports = resolveExports(chain, ['archive', os?.id as string, 'archive']);
    expect(exports).toEqual([
      { name: 'archive', pipeline: archive },
      { name: os?.id, pipeline: os },
    ]);
  });

  it('names every unknown export with the Python list of pipeline names', () => {
    const error = thrown(() => resolveExports(chain, ['nope', 'os', "it's"]));
    expect(error.code).toBe('E_EXPORT_NOT_FOUND');
    expect(error.message).toBe("Export nope not found in ['build', 'os', 'archive']\nExport it's not found in ['build', 'os', 'archive']");
    expect(error.details).toEqual({ unresolved: ['nope', "it's"], available: ['build', 'os', 'archive'] });
  });
});

describe('matchCheckpoints', () => {
  it('marks the last stage of a pipeline matched by name', () => {
    expect(matchCheckpoints(chain, ['build'])).toEqual([build?.id]);
    expect(matchCheckpoints(chain, ['o?'])).toEqual([os?.id]);
  });

  it('matches stage ids and stage types', () => {
    const hostname = os?.stages[1];
    expect(matchCheckpoints(chain, [hostname?.id.slice(0, 8) + '*'])).toEqual([hostname?.id]);
    expect(matchCheckpoints(chain, ['org.osbuild.[hn]*'])).toEqual([build?.stages[0]?.id, os?.stages[1]?.id]);
    expect(matchCheckpoints(chain, ['*'])).toHaveLength(7);
  });

  it('is case-sensitive and needs a whole match', () => {
    expect(thrown(() => matchCheckpoints(chain, ['BUILD', 'buil'])).code).toBe('E_CHECKPOINT_UNMATCHED');
  });

  it('skips pipelines without stages', () => {
    const quirks = loadFile(fileURLToPath(new URL('../vectors/v2-quirks.json', import.meta.url)));
    expect(thrown(() => matchCheckpoints(quirks, ['stageless'])).message).toBe('No checkpoints matched provided patterns!');
  });

  it('returns nothing for no patterns', () => {
    expect(matchCheckpoints(chain, [])).toEqual([]);
  });
});
