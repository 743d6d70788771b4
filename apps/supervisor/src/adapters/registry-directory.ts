import type { RegistryRouter } from '@iapeer/contracts';
import type { IapeerPaths } from '@iapeer/core';
import { connect } from '@iapeer/rpc';
import type { PeerDirectory } from '../core/ports';
import { toSupervisedPeer } from './supervised-peer';

/** The PeerDirectory over the registry service's `get` and `list` (libs/contracts/src/registry.ts). */
export function createRegistryDirectory(paths: IapeerPaths): PeerDirectory & { close(): void } {
  const rpc = connect<RegistryRouter>({ service: 'registry', socketPath: paths.serviceSocket('registry'), retryMs: 3000, waitForMissing: true });
  return {
    async get(personality) {
      const peer = await rpc.client.get.query({ personality });
      return peer ? toSupervisedPeer(peer) : null;
    },
    async list() {
      return (await rpc.client.list.query()).peers.map(toSupervisedPeer);
    },
    close: () => rpc.close(),
  };
}
