/**
 * Registry adapter: `registry.get.query({ personality })` answers the contract's `Peer`
 * (or null when absent; libs/contracts/src/registry.ts), already read-normalized by the
 * registry, plus the one field only the peer's own profile holds that routing needs:
 * `wake_policy` (read through libs/profiles; a missing or unreadable profile means none).
 */
import type { Peer } from '@iapeer/contracts';
import { peerProfileOrUndefined } from '@iapeer/profiles';
import type { PeerDirectory, RoutedPeer } from '../ports';

/** The part of the registry's tRPC client (`RpcClient<RegistryRouter>['client']`) this adapter uses. */
export interface RegistryGetClient {
  get: { query(input: { personality: string }): Promise<Peer | null> };
}

export function createRegistryDirectory(client: RegistryGetClient): PeerDirectory {
  return { get: async (personality) => withWakePolicy(await client.get.query({ personality })) };
}

function withWakePolicy(peer: Peer | null): RoutedPeer | null {
  if (!peer) return null;
  return peerProfileOrUndefined(peer.cwd)?.wake_policy === 'ephemeral' ? { ...peer, wakePolicy: 'ephemeral' } : peer;
}
