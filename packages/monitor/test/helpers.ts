import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMonitor } from '../src/index.js';
import type { MonitorEvent, MonitorName, MonitorOptions } from '../src/index.js';
import { loadScenario, type Scenario } from './fixtures/load-scenario.mjs';

export const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function scenario(name: 'success' | 'failure'): Scenario {
  return loadScenario(join(fixtures, `${name}.scenario.json`));
}

/** Collects what a monitor writes. */
export function sink(isTTY = false, columns?: number) {
  const chunks: string[] = [];
  return { write: (text: string) => void chunks.push(text), isTTY, columns, text: () => chunks.join('') };
}

/** Plays a scenario's events (all of them, including those osbuild would not have run) through a monitor. */
export function play(
  name: MonitorName,
  sc: Scenario,
  events: readonly MonitorEvent[] = sc.steps.map((s) => s.event),
  options: MonitorOptions = {},
  isTTY = false,
): string {
  const out = sink(isTTY);
  const monitor = createMonitor(name, out, sc.context, { now: sc.clock(), ...options });
  monitor.begin();
  for (const event of events) monitor.event(event);
  monitor.end(sc.success);
  return out.text();
}

/**
 * The success scenario as our engine can deliver it: the `fully-cached` and
 * `empty` pipelines run while `build` does. Shown in order, it must read
 * as if they had run one after the other.
 */
export function interleaved(sc: Scenario): MonitorEvent[] {
  const events = sc.steps.map((s) => s.event);
  const side = events.filter((e) => 'pipeline' in e && (e.pipeline === 'fully-cached' || e.pipeline === 'empty') && e.type !== 'export');
  const rest = events.filter((e) => !side.includes(e));
  const at = rest.findIndex((e) => e.type === 'stage-start' && e.pipeline === 'build') + 1;
  return [...rest.slice(0, at), ...side, ...rest.slice(at)];
}
