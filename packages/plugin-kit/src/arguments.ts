import { existsSync, readFileSync } from 'node:fs';
import { parsePythonJson } from './parse-arguments.js';

/** Where the sandbox puts things; the test harness points these elsewhere. */
export const ARGUMENTS_PATH = '/run/osbuild/api/arguments';
export const META_PATH = '/run/osbuild/meta';

export interface InputArgument {
  path: string;
  data?: { files?: Record<string, Record<string, unknown>> } & Record<string, unknown>;
}
export interface DeviceArgument {
  path: string;
  node?: { major: number; minor: number };
}
export interface MountArgument {
  path: string;
}

/** The arguments document of osbuild's stage contract (spec 8.2). */
export interface StageArguments<Options = Record<string, unknown>> {
  tree: string;
  paths: { devices: string; inputs: string; mounts: string };
  devices: Record<string, DeviceArgument>;
  inputs: Record<string, InputArgument>;
  mounts: Record<string, MountArgument>;
  options: Options;
  meta: { id: string; 'source-epoch'?: number };
}

function argumentsPath(): string {
  return process.env.OSBUILD_ARGUMENTS_FILE ?? ARGUMENTS_PATH;
}

/** Reads the arguments from the api file, or from stdin where there is none. */
export function readArguments<Options = Record<string, unknown>>(): StageArguments<Options> {
  const path = argumentsPath();
  const text = existsSync(path) ? readFileSync(path, 'utf8') : readFileSync(0, 'utf8');
  const doc = parsePythonJson(text) as Partial<StageArguments<Options>>;
  return {
    tree: doc.tree ?? '/run/osbuild/tree',
    paths: doc.paths ?? { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' },
    devices: doc.devices ?? {},
    inputs: doc.inputs ?? {},
    mounts: doc.mounts ?? {},
    options: doc.options ?? ({} as Options),
    meta: doc.meta ?? { id: '' },
  };
}
