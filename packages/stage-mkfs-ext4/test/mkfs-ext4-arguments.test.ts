import { describe, expect, it } from 'vitest';
import { mkfsExt4Arguments } from '../src/mkfs-ext4-arguments.js';

const uuid = 'a957573a-f432-4bed-a0bc-e541bddf8579';

describe('mkfsExt4Arguments', () => {
  // Upstream's test_mkfs_ext4_cmdline cases, with lazy_init's two -E merged into one.
  it.each([
    [{}, []],
    [{ verity: true }, ['-O', 'verity']],
    [{ verity: false }, ['-O', '^verity']],
    [{ orphan_file: true }, ['-O', 'orphan_file']],
    [{ orphan_file: false }, ['-O', '^orphan_file']],
    [{ metadata_csum_seed: true }, ['-O', 'metadata_csum_seed']],
    [{ metadata_csum_seed: false }, ['-O', '^metadata_csum_seed']],
    [{ verity: true, orphan_file: true, metadata_csum_seed: true }, ['-O', 'verity', '-O', 'orphan_file', '-O', 'metadata_csum_seed']],
    [{ lazy_init: true }, ['-E', 'lazy_itable_init=1,lazy_journal_init=1']],
    [{ lazy_init: false }, ['-E', 'lazy_itable_init=0,lazy_journal_init=0']],
    [{ label: 'root', verity: true }, ['-L', 'root', '-O', 'verity']],
  ])('maps %j as upstream does', (options, expected) => {
    expect(mkfsExt4Arguments({ uuid, ...options }, '/dev/xxd1', false)).toEqual(['-U', uuid, ...expected, '/dev/xxd1']);
  });

  it('seeds the directory hash with the UUID for a reproducible build, in the same -E', () => {
    expect(mkfsExt4Arguments({ uuid, lazy_init: true }, '/dev/loop1', true)).toEqual(['-U', uuid, '-E', `lazy_itable_init=1,lazy_journal_init=1,hash_seed=${uuid}`, '/dev/loop1']);
    // mke2fs's -U keywords are no seed.
    expect(mkfsExt4Arguments({ uuid: 'random' }, '/dev/loop1', true)).toEqual(['-U', 'random', '/dev/loop1']);
  });
});
