import { describe, expect, it } from 'vitest';
import { defaultTargetCall, unitCalls } from '../src/systemctl-calls.js';

describe('unitCalls', () => {
  it('enables, then disables, then masks, one unit per call, names after --', () => {
    expect(
      unitCalls({ masked_services: ['m'], disabled_services: ['d1', 'd2'], enabled_services: ['-e'], default_target: 't' }, '/tree'),
    ).toEqual([
      ['--root', '/tree', 'enable', '--', '-e'],
      ['--root', '/tree', 'disable', '--', 'd1'],
      ['--root', '/tree', 'disable', '--', 'd2'],
      ['--root', '/tree', 'mask', '--', 'm'],
    ]);
  });

  it('runs nothing for no units', () => {
    expect(unitCalls({}, '/tree')).toEqual([]);
  });
});

describe('defaultTargetCall', () => {
  it('sets the default target when one is given', () => {
    expect(defaultTargetCall({ default_target: 'multi-user.target' }, '/tree')).toEqual(['--root', '/tree', 'set-default', 'multi-user.target']);
    expect(defaultTargetCall({}, '/tree')).toBeNull();
    expect(defaultTargetCall({ default_target: '' }, '/tree')).toBeNull();
  });
});
