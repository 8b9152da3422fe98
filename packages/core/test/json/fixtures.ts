import { readFileSync } from 'node:fs';

/** Outputs of Python's json module, generated once by fixtures/generate.py. */
export interface PyJsonCases {
  floats: Array<[string, string]>;
  dumps: Array<{ input: string; sortKeys: boolean; indent: number | null; expected: string }>;
  parse: Array<{ input: string; ok: boolean; expected?: string }>;
  repr: Array<[string | null, string]>;
}

export const cases: PyJsonCases = JSON.parse(readFileSync(new URL('./fixtures/py-json-cases.json', import.meta.url), 'utf8'));
