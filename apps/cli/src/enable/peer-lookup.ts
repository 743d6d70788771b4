import fs from 'node:fs';
import path from 'node:path';
import type { Peer } from '@iapeer/contracts';
import type { withRegistry } from '../peers/registry-client';

/** Where a peer lives and which runtimes it declares (default first): a view of the contract's `Peer`. */
export type EnabledPeer = Pick<Peer, 'personality' | 'cwd' | 'runtimes'>;

/** Read-only access to the peers: the port `enable` uses. */
export interface PeerLookup {
  /** The registered peer of that name, or null. */
  findPeer(personality: string): Promise<EnabledPeer | null>;
  /** The registered peer whose folder is `cwd`, or null. */
  peerOfFolder(cwd: string): Promise<EnabledPeer | null>;
}

type RegistryClient = Parameters<Parameters<typeof withRegistry>[1]>[0];

/** The same folder, however it was spelled (a trailing slash, a symlinked parent). */
function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

const toRecord = (p: Peer): EnabledPeer => ({ personality: p.personality, cwd: p.cwd, runtimes: p.runtimes });

/**
 * Peers as the registry service answers them (`get`, `list`): the registry is the only
 * reader of peers-profiles.json and keeps each record in step with the folder's profile.
 */
export function createRegistryPeerLookup(registry: Pick<RegistryClient, 'get' | 'list'>): PeerLookup {
  return {
    async findPeer(personality) {
      const peer = await registry.get.query({ personality });
      return peer ? toRecord(peer) : null;
    },
    async peerOfFolder(cwd) {
      const here = realDir(cwd);
      const { peers } = await registry.list.query();
      const peer = peers.find((p) => realDir(p.cwd) === here);
      return peer ? toRecord(peer) : null;
    },
  };
}
