import { stat } from 'node:fs/promises';
import path from 'node:path';
import { OsbuildError } from './errors.js';

/**
 * The device nodes a stage was given (its loop devices…): each must be a
 * block or character device under the host's /dev, where bwrap binds it
 * from, to the same path in the sandbox's /dev.
 */
export async function checkDeviceNodes(nodes: readonly string[]): Promise<string[]> {
  return Promise.all(
    nodes.map(async (node) => {
      const normal = path.posix.normalize(node);
      if (!normal.startsWith('/dev/') || normal !== node) {
        throw new OsbuildError('E_SANDBOX', `device node ${node} is not a path under /dev`, { details: { node } });
      }
      const info = await stat(node).catch(() => null);
      if (!info?.isBlockDevice() && !info?.isCharacterDevice()) {
        throw new OsbuildError('E_SANDBOX', `device node ${node} does not exist or is not a device`, { details: { node } });
      }
      return node;
    }),
  );
}
