import { describe, expect, it } from 'vitest';
import { STAGE_CAPABILITIES, capabilityMask, heldCapabilities, stageCapabilities } from '../src/capabilities.js';

const ALL = new Set([...STAGE_CAPABILITIES, 'CAP_MAC_ADMIN', 'CAP_NET_ADMIN']);

describe('stageCapabilities', () => {
  it("is osbuild's stage set, sorted", () => {
    expect(stageCapabilities([], ALL)).toEqual([...STAGE_CAPABILITIES].sort());
    expect(STAGE_CAPABILITIES).toHaveLength(19);
    expect(STAGE_CAPABILITIES).not.toContain('CAP_NET_ADMIN');
    expect(STAGE_CAPABILITIES).not.toContain('CAP_SYS_PTRACE');
  });

  it('adds declared capabilities, accepting short and lower-case names', () => {
    expect(stageCapabilities(['mac_admin', 'CAP_MAC_ADMIN'], ALL)).toContain('CAP_MAC_ADMIN');
    expect(stageCapabilities(['net_admin'], ALL)).toHaveLength(20);
  });

  it('rejects unknown names', () => {
    expect(() => stageCapabilities(['CAP_FLY'], ALL)).toThrowError(expect.objectContaining({ code: 'E_SANDBOX' }));
  });

  it('never asks bwrap for a capability this process lacks (bwrap would then keep them all)', () => {
    const held = new Set(STAGE_CAPABILITIES.filter((cap) => cap !== 'CAP_SYS_RESOURCE'));
    expect(stageCapabilities(['CAP_MAC_ADMIN'], held)).not.toContain('CAP_SYS_RESOURCE');
    expect(stageCapabilities(['CAP_MAC_ADMIN'], held)).not.toContain('CAP_MAC_ADMIN');
    expect(heldCapabilities().has('CAP_CHOWN')).toBe(true);
  });
});

describe('capabilityMask', () => {
  it('uses the kernel bit numbers', () => {
    expect(capabilityMask(['CAP_CHOWN'])).toBe(1n);
    expect(capabilityMask(['CAP_SYS_ADMIN', 'CAP_MAC_OVERRIDE'])).toBe((1n << 21n) | (1n << 32n));
  });
});
