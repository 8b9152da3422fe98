import { describe, expect, it } from 'vitest';
import { mkfsBtrfsArguments } from '../src/mkfs-btrfs-arguments.js';

const uuid = 'a957573a-f432-4bed-a0bc-e541bddf8579';

describe('mkfsBtrfsArguments', () => {
  it.each([
    [{}, []],
    [{ label: 'root' }, ['-L', 'root']],
    [{ metadata: 'dup' }, ['-m', 'dup']],
    [{ label: 'root', metadata: 'single' }, ['-L', 'root', '-m', 'single']],
  ] as const)('maps %j as upstream does', (options, expected) => {
    expect(mkfsBtrfsArguments({ uuid, ...options }, '/dev/xxd1')).toEqual(['-U', uuid, ...expected, '/dev/xxd1']);
  });
});
