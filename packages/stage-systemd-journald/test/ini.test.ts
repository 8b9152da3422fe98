import { describe, expect, it } from 'vitest';
import { iniText } from '../src/ini.js';

describe('iniText', () => {
  it('writes sections and options in order, as configparser with space_around_delimiters=False', () => {
    expect(iniText({ Journal: { Storage: 'auto', Audit: '' }, Other: { A: 'b c' } })).toBe('[Journal]\nStorage=auto\nAudit=\n\n[Other]\nA=b c\n\n');
  });

  it('continues a value with a line break on a tab-indented line', () => {
    expect(iniText({ Journal: { Compress: 'a\nb' } })).toBe('[Journal]\nCompress=a\n\tb\n\n');
  });
});
