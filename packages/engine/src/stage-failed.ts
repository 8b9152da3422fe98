import { OsbuildError } from '@osbuild-ts/core';

export interface StageFailure {
  pipeline: string;
  stageType: string;
  index: number;
  id: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  timeoutMs?: number;
  outputTail: readonly string[];
  /** Where the failed stage's tree was kept, if it was. */
  keptTree?: string;
  /** The file system of the stage's tree, when it is full ("/var/tmp (ext4, 10 MiB, 0 B free)"). */
  fullFileSystem?: string;
}

const TAIL = 20;

/** One paragraph with every fact a user needs to act on a failed stage. */
export function stageFailedError(f: StageFailure): OsbuildError {
  const status = f.timedOut
    ? `was killed after running longer than ${((f.timeoutMs ?? 0) / 1000).toFixed(0)} s (--stage-timeout)`
    : f.signal
      ? `was killed by ${f.signal}`
      : `exited with status ${f.exitCode}`;
  const tail = f.outputTail.slice(-TAIL);
  let message = `stage ${f.stageType} (pipeline ${f.pipeline}, stage ${f.index + 1}, object ${f.id}) ${status}`;
  message += tail.length ? `\n  last ${tail.length} lines of its output:\n${tail.map((l) => `    ${l}`).join('\n')}` : '\n  it printed nothing';
  if (f.keptTree) message += `\n  its tree was kept at ${f.keptTree}`;
  if (f.fullFileSystem) message += `\n  no space left: the file system of the store, ${f.fullFileSystem}, is full (the stage was writing its tree there)`;
  return new OsbuildError(f.timedOut ? 'E_STAGE_TIMEOUT' : 'E_STAGE_FAILED', message, {
    hint: f.keptTree ? undefined : "rerun with --keep-failed to keep the failed stage's tree for a look",
    details: { ...f, outputTail: tail },
  });
}
