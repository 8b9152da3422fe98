import { describe, expect, it } from 'vitest';
import { mkfsXfsArguments } from '../src/mkfs-xfs-arguments.js';

const uuid = 'a957573a-f432-4bed-a0bc-e541bddf8579';

describe('mkfsXfsArguments', () => {
  it.each([
    [{}, []],
    [{ label: 'root' }, ['-L', 'root']],
    [{ agcount: 8 }, ['-d', 'agcount=8']],
    [{ agcount: 0, label: '' }, []],
    [{ label: 'root', agcount: 2 }, ['-L', 'root', '-d', 'agcount=2']],
  ])('maps %j as upstream does', (options, expected) => {
    expect(mkfsXfsArguments({ uuid, ...options }, '/dev/xxd1')).toEqual(['-m', `uuid=${uuid}`, ...expected, '/dev/xxd1']);
  });
});
