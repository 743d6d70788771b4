import type { RegistryRouter } from '@iapeer/contracts';
import type { IapeerPaths } from '@iapeer/core';
import { connect, type RpcClient } from '@iapeer/rpc';
import type { PeerDirectory } from '../core/ports';
import { toPeerRecord, type RegistryPeerWire } from './peer-record';

/**
 * The PeerDirectory over the registry service. The registry's `get`/`list` procedures
 * are not merged yet: the shapes are GUESSED as `get({personality}) → peer | null` and
 * `list() → peer[]` (or `{peers}`), and isolated in this one file.
 */
export function createRegistryDirectory(paths: IapeerPaths): PeerDirectory & { close(): void } {
  const rpc: RpcClient<RegistryRouter> = connect<RegistryRouter>({ service: 'registry', socketPath: paths.serviceSocket('registry'), retryMs: 3000, waitForMissing: true });
  // untyped on purpose: the registry contract has no get/list yet (see above)
  const client = rpc.client as any;
  return {
    async get(personality) {
      const wire = (await client.get.query({ personality })) as RegistryPeerWire | null;
      return wire ? toPeerRecord(wire) : null;
    },
    async list() {
      const raw = (await client.list.query()) as RegistryPeerWire[] | { peers: RegistryPeerWire[] };
      return (Array.isArray(raw) ? raw : raw.peers).map(toPeerRecord);
    },
    close: () => rpc.close(),
  };
}
