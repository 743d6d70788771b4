import type { Peer } from '@iapeer/contracts';
import { peerProfileOrUndefined } from '@iapeer/profiles';
import type { SupervisedPeer } from '../core/ports';

/**
 * The registry's `Peer` plus what only the peer's own profile holds (`initial_prompt`,
 * `wake_policy`; its `interfaces` win over the record's, the profile being the source of
 * truth). A missing or unreadable profile means no seed and no policy: the registry
 * record still wakes the peer.
 */
export function toSupervisedPeer(peer: Peer): SupervisedPeer {
  const profile = peerProfileOrUndefined(peer.cwd);
  return {
    personality: peer.personality,
    default_runtime: peer.default_runtime,
    runtimes: peer.runtimes,
    cwd: peer.cwd,
    description: peer.description,
    intelligence: peer.intelligence,
    interfaces: profile?.interfaces ?? peer.interfaces,
    initialPrompt: profile?.initial_prompt?.trim() ? profile.initial_prompt : undefined,
    wakePolicy: profile?.wake_policy === 'ephemeral' ? 'ephemeral' : undefined,
  };
}
