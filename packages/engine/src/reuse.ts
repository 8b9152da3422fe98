/**
 * Which stored objects a pipeline may reuse. The deepest stored stage is
 * taken only if its whole layer stack checks out (the store compares every
 * layer with the seal recorded at its commit, once per run): a layer that
 * changed on disk, or a link of the chain that is missing or unreadable,
 * makes that stage and every later one of the pipeline be dropped and
 * rebuilt — never exported as it is, never a fatal error.
 */
import { isStoreError, type Store } from '@osbuild-ts/store';
import type { PlannedPipeline } from './plan.js';
import { firstMissing } from './run-pipeline.js';

export interface Reuse {
  /** Index of the first stage to run; stages before it come from the store (held for the build). */
  first: number;
  /** Why a stage that was in the store is rebuilt, by stage index. */
  rebuilt: Map<number, string>;
}

export async function reusablePrefix(store: Store, pp: PlannedPipeline): Promise<Reuse> {
  const { stages } = pp;
  const rebuilt = new Map<number, string>();
  // Each round drops at least one stored stage, so this ends.
  for (;;) {
    const first = await firstMissing(store, stages);
    if (first === 0) return { first, rebuilt };
    const top = stages[first - 1]!;
    try {
      await store.hold(top.key);
      return { first, rebuilt };
    } catch (error) {
      if (!isStoreError(error) || (error.reason !== 'damaged' && error.reason !== 'missing')) throw error;
      const bad = error.details['key'];
      let from = stages.findIndex((s) => s.key === bad);
      if (from < 0 || from >= first) from = first - 1;
      const s = stages[from]!;
      const label = `object ${s.key} of stage ${from + 1} (${s.stage.type})`;
      const why =
        error.reason === 'damaged'
          ? `${label} changed on disk since it was committed (${whatChanged(error.message)}); dropped and rebuilt`
          : `${label} is missing or its object.info is unreadable; rebuilt`;
      for (let k = from; k < first; k++) {
        await store.drop(stages[k]!.key);
        rebuilt.set(k, k === from ? why : `stage ${from + 1} below it was damaged in the store; rebuilt`);
      }
    }
  }
}

function whatChanged(message: string): string {
  const at = message.indexOf('committed: ');
  return at < 0 ? message : message.slice(at + 'committed: '.length);
}
