/**
 * The resolver contract as the CLI sees it. Stage authors import the same
 * shapes from `@osbuild-ts/plugin-kit` (`ResolveRequest`, `ResolveResult`);
 * they are restated here so the CLI does not depend on the stage kit.
 */
export interface ResolvedStage {
  type: string;
  index: number;
  state: unknown;
}

export interface ResolveRequest {
  type: string;
  options: unknown;
  pipeline: string;
  index: number;
  previous: ResolvedStage[];
  log: (line: string) => void;
}

export interface ResolveResult {
  sources: Record<string, Record<string, unknown>>;
  inputs: Record<string, unknown>;
  state?: unknown;
  architectures?: string[];
}

export type Resolver = (request: ResolveRequest) => Promise<ResolveResult>;
