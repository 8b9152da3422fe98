/** The stage's options, as the schema admits them. */
export interface SystemdOptions {
  enabled_services?: string[];
  disabled_services?: string[];
  masked_services?: string[];
  masked_generators?: string[];
  default_target?: string;
}
