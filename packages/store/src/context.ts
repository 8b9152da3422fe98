/** What the modules behind one open store share. Internal. */
import type { Holds } from './hold.js';
import type { Layout } from './layout.js';
import type { Run } from './run.js';

export interface StoreContext {
  readonly layout: Layout;
  readonly run: Run;
  readonly holds: Holds;
  /** Deepest stack an object may have before its layer is flattened. */
  readonly maxDepth: number;
  readonly bootId: string;
  /** Cleanup of every mount and prepared layer still open, run by close(). */
  readonly open: Set<() => Promise<void>>;
  /** Called after each commit: enforce the size bound. */
  afterCommit(): Promise<void>;
}
