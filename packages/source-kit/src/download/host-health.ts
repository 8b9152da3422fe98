import type { TransferError } from './transfer-error.js';

/**
 * Hosts that did not answer at all during this run (connection refused or
 * reset, timed out, no route, a certificate that does not verify): the
 * items that have not reached them yet try their other candidates first,
 * so a mirror that is down costs one attempt per parallel slot, not one per
 * item. A host that answered, even with an HTTP error, counts as up; each
 * item's own bookkeeping deals with that.
 */
export interface HostHealth {
  /** The URLs with those on hosts known to be down moved last, otherwise in order. */
  order(urls: readonly string[]): readonly string[];
  failed(url: string, error: TransferError, madeProgress: boolean): void;
  succeeded(url: string): void;
}

export function createHostHealth(): HostHealth {
  const down = new Set<string>();
  return {
    order(urls) {
      if (down.size === 0) return urls;
      return [...urls.filter((url) => !down.has(hostOf(url))), ...urls.filter((url) => down.has(hostOf(url)))];
    },
    failed(url, error, madeProgress) {
      const host = hostOf(url);
      if (host !== '' && error.status === undefined && !madeProgress) down.add(host);
    },
    succeeded(url) {
      down.delete(hostOf(url));
    },
  };
}

/** `scheme://host:port` of an http(s) URL; '' for anything else (a file:// path is never "down"). */
function hostOf(url: string): string {
  const match = /^(https?:\/\/[^/?#]*)/i.exec(url);
  return match === null ? '' : match[1]!.toLowerCase();
}
