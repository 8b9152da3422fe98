import type { SourceEvent } from './sources/events.js';

/**
 * What the engine reports while it works. Monitors (human progress, osbuild's
 * LogMonitor and JSONSeqMonitor) are views over this one stream.
 */
export type BuildEvent =
  /** After planning, before anything runs: the pipelines that will run stages (not all in the store). */
  | { type: 'plan'; pipelines: string[]; toBuild: string[] }
  | { type: 'pipeline-start'; pipeline: string; id: string | null; stages: number; cached: number }
  | { type: 'stage-cached'; pipeline: string; index: number; stageType: string; id: string; key: string; remote?: 'pulled' }
  /** Another process holds this stage's build lock: the stage waits for its object instead of building it twice. */
  | { type: 'stage-waiting'; pipeline: string; index: number; stageType: string; id: string; key: string }
  /** A built stage's object reached the remote cache (after its stage-end, in the background). */
  | { type: 'stage-pushed'; pipeline: string; index: number; stageType: string; id: string; key: string }
  | { type: 'stage-start'; pipeline: string; index: number; stageType: string; id: string; key: string; reason: string; options: unknown }
  | { type: 'stage-output'; pipeline: string; index: number; stageType: string; id: string; line: string }
  | {
      type: 'stage-end';
      pipeline: string;
      index: number;
      stageType: string;
      id: string;
      success: boolean;
      durationMs: number;
      metadata: unknown;
      output: string;
    }
  | { type: 'pipeline-end'; pipeline: string; id: string | null; success: boolean }
  | { type: 'export'; pipeline: string; destination: string };

/** Everything a monitor may see: the build's events and the sources'. */
export type EngineEvent = BuildEvent | SourceEvent;
export type EventSink = (event: EngineEvent) => void;
