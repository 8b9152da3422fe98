/** The stage's options, as upstream's schema admits them. */
export interface OciOptions {
  filename: string;
  architecture: string;
  variant?: string;
  config?: OciConfigOptions;
  annotations?: Record<string, string>;
}

export interface OciConfigOptions {
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  ExposedPorts?: string[];
  User?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  /** Upstream's schema's spelling (its code reads StopSignal). */
  StopSiganl?: string;
  Volumes?: string[];
  WorkingDir?: string;
}
