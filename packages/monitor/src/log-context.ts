/**
 * osbuild's monitor `Context`: where a JSON-seq record comes from. Its id is
 * the sha256 of the context *with* its nulls; the first record with an id
 * carries the whole context, later ones only `{"id"}`.
 */
import { dumpsPy, sha256Hex, type PyJson, type PyObject } from '@osbuild-ts/core';

export interface LogContext {
  origin: string | null;
  pipelineName: string | null;
  pipelineId: string | null;
  stageName: string | null;
  stageId: string | null;
}

function contextDict(c: LogContext): PyObject {
  return new Map<string, PyJson>([
    ['origin', c.origin],
    [
      'pipeline',
      new Map<string, PyJson>([
        ['name', c.pipelineName],
        ['id', c.pipelineId],
        [
          'stage',
          new Map<string, PyJson>([
            ['name', c.stageName],
            ['id', c.stageId],
          ]),
        ],
      ]),
    ],
  ]);
}

export function contextId(c: LogContext): string {
  return sha256Hex(dumpsPy(contextDict(c), { sortKeys: true }));
}

/** The `context` member of a record; `seen` holds the ids already sent in full (shared by every origin, as upstream's copies share it). */
export function contextMember(c: LogContext, seen: Set<string>): PyObject {
  const id = contextId(c);
  if (seen.has(id)) return new Map([['id', id]]);
  seen.add(id);
  const full = contextDict(c);
  full.set('id', id);
  return full;
}
