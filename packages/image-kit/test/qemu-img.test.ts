import { describe, expect, it } from 'vitest';
import { qemuImgConvertArguments } from '../src/index.js';

const args = (format: Parameters<typeof qemuImgConvertArguments>[0], coroutines?: string) => qemuImgConvertArguments(format, 'in.raw', 'out', coroutines);

describe('qemuImgConvertArguments', () => {
  it("passes upstream's per-format options, with upstream's defaults", () => {
    expect(args({ type: 'qcow2' })).toEqual(['convert', '-O', 'qcow2', '-c', 'in.raw', 'out']);
    expect(args({ type: 'qcow2', compression: false, compat: '0.10' })).toEqual(['convert', '-O', 'qcow2', '-o', 'compat=0.10', 'in.raw', 'out']);
    expect(args({ type: 'vmdk' })).toEqual(['convert', '-O', 'vmdk', '-c', 'in.raw', 'out']);
    expect(args({ type: 'vmdk', adapter_type: 'lsilogic', compat6: true, subformat: 'streamOptimized', compression: false })).toEqual([
      'convert', '-O', 'vmdk', '-o', 'adapter_type=lsilogic,compat6,subformat=streamOptimized', 'in.raw', 'out',
    ]);
    expect(args({ type: 'vpc' })).toEqual(['convert', '-O', 'vpc', '-o', 'subformat=fixed,force_size', 'in.raw', 'out']);
    expect(args({ type: 'vpc', subformat: 'dynamic', force_size: false })).toEqual(['convert', '-O', 'vpc', '-o', 'subformat=dynamic', 'in.raw', 'out']);
    expect(args({ type: 'vdi' })).toEqual(['convert', '-O', 'vdi', 'in.raw', 'out']);
    expect(args({ type: 'vhdx' })).toEqual(['convert', '-O', 'vhdx', 'in.raw', 'out']);
    expect(args({ type: 'raw' })).toEqual(['convert', '-O', 'raw', 'in.raw', 'out']);
  });

  it('adds the coroutines after the format options', () => {
    expect(args({ type: 'qcow2', compat: '1.1' }, '8')).toEqual(['convert', '-O', 'qcow2', '-c', '-o', 'compat=1.1', '-m', '8', 'in.raw', 'out']);
  });

  it('refuses an unknown format', () => {
    expect(() => args({ type: 'iso' } as never)).toThrow('unknown image format "iso" (expected one of raw, qcow2, vdi, vmdk, vpc, vhdx)');
  });
});
