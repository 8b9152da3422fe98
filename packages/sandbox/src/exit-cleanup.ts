/**
 * Last-resort teardown when the host process exits without closing its build
 * sandboxes (an uncaught error, process.exit()). Runs synchronously from the
 * 'exit' event; bwrap's --die-with-parent covers the processes, this covers
 * the host mounts.
 */
const pending = new Set<() => void>();
let installed = false;

export function onExitCleanup(fn: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const cleanup of pending) {
        try {
          cleanup();
        } catch {
          // keep going: the remaining sandboxes still need their mounts gone
        }
      }
    });
  }
  pending.add(fn);
  return () => pending.delete(fn);
}
