/**
 * Source-origin input references that no source of the manifest has as an
 * item. v2 loading refuses them already (as osbuild does); a v1 manifest's
 * synthesised inputs (rpm's `options.packages`, ostree's `options.commit`)
 * are not checked by osbuild until a stage runs, so a build checks them here
 * first, while --inspect still prints what upstream prints.
 */
import type { JsonPath } from '../json/types.js';
import type { Manifest } from './model.js';

export interface MissingSource {
  path: JsonPath;
  message: string;
}

export function missingSourceReferences(manifest: Manifest): MissingSource[] {
  const items = new Set<string>();
  for (const source of manifest.sources) for (const key of source.items.keys()) items.add(key);
  const missing: MissingSource[] = [];
  for (const pipeline of manifest.pipelines) {
    for (const stage of pipeline.stages) {
      for (const input of stage.inputs) {
        if (input.origin !== 'org.osbuild.source') continue;
        for (const ref of input.references.keys()) {
          if (ref === null || items.has(ref)) continue;
          missing.push({
            path: input.path,
            message: `${ref} is not among the manifest's sources` + (items.size === 0 ? ' (the manifest has no sources)' : ''),
          });
        }
      }
    }
  }
  return missing;
}
