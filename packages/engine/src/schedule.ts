import { availableParallelism } from 'node:os';
import type { PlannedPipeline } from './plan.js';

/**
 * Runs every pipeline once its build pipeline and input pipelines are done,
 * at most `limit` at a time. After the first failure nothing new starts;
 * what is running finishes (so its sandbox and layers are torn down before
 * the caller closes the store), then the first error is thrown.
 */
export async function runInDependencyOrder(
  pipelines: readonly PlannedPipeline[],
  run: (pp: PlannedPipeline) => Promise<void>,
  limit = availableParallelism(),
): Promise<void> {
  const started = new Map<PlannedPipeline, Promise<void>>();
  let running = 0;
  const waiting: (() => void)[] = [];
  let failure: { error: unknown } | null = null;

  const slot = async () => {
    while (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };

  const start = (pp: PlannedPipeline): Promise<void> => {
    let promise = started.get(pp);
    if (!promise) {
      promise = (async () => {
        const deps = [...(pp.build ? [pp.build] : []), ...pp.inputs];
        await Promise.all(deps.map(start));
        await slot();
        try {
          if (failure === null) await run(pp);
        } catch (error) {
          failure ??= { error };
          throw error;
        } finally {
          release();
        }
      })();
      started.set(pp, promise);
    }
    return promise;
  };

  await Promise.allSettled(pipelines.map(start));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
