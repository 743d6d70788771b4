/**
 * Registry adapter: `registry.get.query({ personality })` answers the contract's `Peer`
 * (or null when absent; libs/contracts/src/registry.ts), already read-normalized by the
 * registry, so it is handed on as it is.
 */
import type { Peer } from '@iapeer/contracts';
import type { PeerDirectory } from '../ports';

/** The part of the registry's tRPC client (`RpcClient<RegistryRouter>['client']`) this adapter uses. */
export interface RegistryGetClient {
  get: { query(input: { personality: string }): Promise<Peer | null> };
}

export function createRegistryDirectory(client: RegistryGetClient): PeerDirectory {
  return { get: (personality) => client.get.query({ personality }) };
}
