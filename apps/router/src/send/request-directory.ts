/**
 * A per-request view of the registry: each personality is looked up at most once per
 * send, and the target's lookup can start before the caller check finishes (the two
 * registry round trips overlap instead of queueing; bench/send). Nothing outlives the
 * request, so there is no cache to go stale.
 */
import type { PeerDirectory, RoutedPeer } from '../ports';

export interface RequestDirectory extends PeerDirectory {
  /** Starts a lookup now; its failure surfaces when (and if) get() is awaited. */
  prefetch(personality: unknown): void;
}

export function createRequestDirectory(directory: PeerDirectory): RequestDirectory {
  const lookups = new Map<string, Promise<RoutedPeer | null>>();
  const get = (personality: string) => {
    let lookup = lookups.get(personality);
    if (!lookup) {
      lookup = directory.get(personality);
      lookups.set(personality, lookup);
    }
    return lookup;
  };
  return {
    get,
    prefetch(personality) {
      // only a plausible name; validation refuses anything else before get() is awaited
      if (typeof personality !== 'string' || personality.length === 0 || personality.length > 64) return;
      // a failed prefetch is reported by the get() that awaits the same promise (or not at all
      // when the send is refused earlier): never an unhandled rejection
      get(personality).catch(() => undefined);
    },
  };
}
