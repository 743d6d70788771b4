import fs from 'node:fs';
import path from 'node:path';
import { isPersonality, isRuntime, type IapeerPaths } from '@iapeer/core';

/** Where a peer lives and which runtimes it declares (default first). */
export interface PeerRecord {
  personality: string;
  cwd: string;
  runtimes: string[];
}

/**
 * Read-only access to the peers: the port `enable` (and later verbs) use instead of
 * reading the registry file themselves.
 *
 * TEMPORARY implementation: `createFilePeerLookup` reads `<root>/peers-profiles.json`
 * read-only, plus the folder's `.iapeer/peer-profile.json`, because the registry
 * service's read procedures are being written on another branch. Swap it for a
 * registry-client lookup when they land; callers do not change.
 */
export interface PeerLookup {
  /** The registered peer of that name, or null. */
  findPeer(personality: string): Promise<PeerRecord | null>;
  /** The peer whose folder is `cwd` (its `.iapeer/peer-profile.json`), or null. */
  peerOfFolder(cwd: string): Promise<PeerRecord | null>;
}

interface RawPeer {
  personality?: unknown;
  default_runtime?: unknown;
  runtime?: unknown;
  runtimes?: unknown;
  cwd?: unknown;
}

/** default_runtime (else the legacy `runtime`) first, then `runtimes`, deduplicated and validated (docs/behaviour.md §4.2). */
function runtimesOf(raw: RawPeer): string[] {
  const first = typeof raw.default_runtime === 'string' ? raw.default_runtime : raw.runtime;
  const list = [first, ...(Array.isArray(raw.runtimes) ? raw.runtimes : [])].filter((r): r is string => isRuntime(r));
  return [...new Set(list)];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export function createFilePeerLookup(paths: IapeerPaths): PeerLookup {
  const registryPeers = (): RawPeer[] => {
    const idx = readJson(paths.peersFile) as { peers?: unknown } | undefined;
    return Array.isArray(idx?.peers) ? (idx.peers as RawPeer[]) : [];
  };
  const profileOf = (cwd: string) => readJson(path.join(cwd, '.iapeer', 'peer-profile.json')) as RawPeer | undefined;
  // the profile is the source of truth (§4.5): its runtimes join the registry's
  const merge = (personality: string, cwd: string, ...sources: (RawPeer | undefined)[]): PeerRecord => ({
    personality,
    cwd,
    runtimes: [...new Set(sources.flatMap((s) => (s ? runtimesOf(s) : [])))],
  });

  return {
    async findPeer(personality) {
      const rec = registryPeers().find((p) => p.personality === personality);
      if (!rec || typeof rec.cwd !== 'string' || rec.cwd.length === 0) return null;
      const profile = profileOf(rec.cwd);
      return merge(personality, rec.cwd, rec, profile?.personality === personality ? profile : undefined);
    },
    async peerOfFolder(cwd) {
      const profile = profileOf(cwd);
      if (!profile || !isPersonality(profile.personality)) return null;
      const rec = registryPeers().find((p) => p.personality === profile.personality);
      return merge(profile.personality, cwd, rec, profile);
    },
  };
}
