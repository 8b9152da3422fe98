/** One `Environment` assignment in the list form. */
export interface EnvironmentEntry {
  key?: string;
  value?: string;
}

/** The stage's options, as the schema admits them. */
export interface UnitOptions {
  unit: string;
  dropin: string;
  config: Record<string, Record<string, string | EnvironmentEntry[]>>;
  'unit-type'?: 'system' | 'global';
}
