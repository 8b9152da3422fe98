import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type { MonitorOutput } from '../types.js';
import type { BarHandle, View } from './view.js';

const SHOW_CURSOR = '\x1b[?25h';
const WRAP_ON = '\x1b[?7h';

/** Cut to the terminal's width: a bar line that wraps would break the redraw. Bar lines are plain text. */
function fit(text: string, columns: number): string {
  const chars = Array.from(text);
  return chars.length < columns ? text : chars.slice(0, Math.max(0, columns - 1)).join('');
}

/**
 * A TTY: cli-progress's MultiBar keeps the bars at the bottom and redraws
 * them (10 fps), lines logged through it scroll above. Its redraw timer is
 * unref'd: a monitor must not keep the process alive.
 */
export function ttyView(out: MonitorOutput): View {
  const stream = {
    isTTY: true,
    get columns() {
      return out.columns ?? 80;
    },
    write(text: string) {
      out.write(text);
      return true;
    },
  };
  // Required on first use: only a terminal's progress view draws bars, and
  // cli-progress with its dependencies is most of this package's load time.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const multibar = new cliProgress.MultiBar({
    stream: stream as unknown as NodeJS.WritableStream,
    format: (options, params, payload: { render: (graphic: string) => string }) =>
      fit(payload.render(cliProgress.Format.BarFormat(params.progress, options)), stream.columns),
    barCompleteChar: '█',
    barIncompleteChar: '░',
    barsize: 20,
    hideCursor: true,
    clearOnComplete: true,
    fps: 10,
  });
  const timers = multibar as unknown as { timer: NodeJS.Timeout | null };
  const unref = () => timers.timer?.unref();
  multibar.on('update-post', unref);
  // Crashed or exited without stop(): give the terminal its cursor and line wrapping back.
  let stopped = false;
  const restore = () => {
    if (!stopped) out.write(SHOW_CURSOR + WRAP_ON);
  };
  process.once('exit', restore);

  return {
    line(text) {
      if (multibar.isActive) multibar.log(`${text}\n`);
      else out.write(`${text}\n`);
    },
    bar(total, render): BarHandle {
      const bar = multibar.create(total, 0, { render });
      unref();
      return {
        update: (value, newTotal) => {
          if (newTotal !== undefined) bar.setTotal(newTotal);
          bar.update(value);
        },
        remove: () => {
          multibar.remove(bar);
          unref();
        },
      };
    },
    stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', restore);
      if (multibar.isActive) {
        multibar.update();
        multibar.stop();
      }
    },
  };
}
