import { describe, expect, it } from 'vitest';
import { commandLine } from '../src/command-line.js';

describe('commandLine', () => {
  it('puts root= first and leaves out what is not given', () => {
    expect(commandLine({ root_fs_uuid: '6699-AFB5', kernel_opts: 'quiet' }, 'x86_64')).toBe('root=UUID=6699-AFB5 quiet');
    expect(commandLine({ kernel_opts: 'quiet' }, 'x86_64')).toBe('quiet');
    expect(commandLine({ root_fs_uuid: '6699-AFB5', kernel_opts: '' }, 'x86_64')).toBe('root=UUID=6699-AFB5');
    expect(commandLine({}, 'x86_64')).toBe('');
  });

  it("takes the machine's limit, 4096 for machines upstream does not list, and kernel_cmdline_size over both", () => {
    const opts = (n: number) => ({ kernel_opts: 'x'.repeat(n) });
    expect(commandLine(opts(2048), 'x86_64')).toHaveLength(2048);
    expect(() => commandLine(opts(2049), 'x86_64')).toThrow(/2049 characters long, more than the limit of 2048/);
    expect(() => commandLine(opts(1025), 'ARM')).toThrow(/limit of 1024/);
    expect(commandLine(opts(4096), 's390x')).toHaveLength(4096);
    expect(() => commandLine(opts(4097), 'riscv64')).toThrow(/limit of 4096/);
    expect(() => commandLine({ ...opts(300), kernel_cmdline_size: 256 }, 'x86_64')).toThrow(/limit of 256/);
    expect(commandLine({ ...opts(3000), kernel_cmdline_size: 4096 }, 'x86_64')).toHaveLength(3000);
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    expect(commandLine({ kernel_opts: '😀'.repeat(2048) }, 'x86_64')).toHaveLength(4096);
  });
});
