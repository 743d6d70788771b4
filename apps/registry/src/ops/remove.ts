import { assertPersonality } from '@iapeer/core';
import type { Peer } from '@iapeer/contracts';
import type { Operation } from '../file/commit-queue';
import { toPeer } from '../file/peer-record';

/** Idempotent: an absent peer is `{removed: false}`, not an error, and costs no write. */
export function removeOperation(personality: string): Operation<{ removed: boolean; peer: Peer | null }> {
  const name = assertPersonality(personality);
  return {
    apply(draft) {
      const existing = draft.peers.get(name);
      if (!existing) return { value: { removed: false, peer: null }, changed: false };
      draft.peers.delete(name);
      return { value: { removed: true, peer: toPeer(existing) }, changed: true };
    },
  };
}
