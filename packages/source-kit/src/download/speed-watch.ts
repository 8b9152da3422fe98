/**
 * curl's `speed-limit`/`speed-time`: a transfer that moves fewer than
 * `limit` bytes/s over `time` seconds is aborted (a stalled server would
 * otherwise hold a download slot forever). Checked per window of `time`
 * seconds, which also covers waiting for the response headers.
 */
export interface SpeedWatch {
  add(bytes: number): void;
  stop(): void;
}

export function watchSpeed(limit: number, timeSeconds: number, abort: (error: Error) => void): SpeedWatch {
  let windowBytes = 0;
  const timer = setInterval(() => {
    if (windowBytes < limit * timeSeconds) {
      clearInterval(timer);
      abort(new Error(`transfer too slow: less than ${limit} bytes/s for ${timeSeconds} s`));
    }
    windowBytes = 0;
  }, timeSeconds * 1000);
  timer.unref();
  return {
    add: (bytes) => (windowBytes += bytes),
    stop: () => clearInterval(timer),
  };
}
