/** One problem found in a manifest. */
export interface ValidationIssue {
  /** Keys and array indices from the manifest root to the offending value. */
  path: Array<string | number>;
  /** Says what was expected and what was found. */
  message: string;
  /** `package@version` of the plugin whose schema complained; absent for manifest structure. */
  plugin?: string;
}
