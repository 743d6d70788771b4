import { MAX_DESCRIPTION_LEN, defaultIntelligence, normalizeIntelligence } from '@iapeer/core';
import type { Peer } from '@iapeer/contracts';

/**
 * One registry record in memory: the wire `Peer`, except that `intelligence` is the raw
 * on-disk value (it may be legacy `human`/`scripted` and is never rewritten unless the
 * nature changes; `toPeer` derives the nature), plus the fields this version does not
 * know, kept verbatim in `extra` and written back after the known ones.
 */
export type StoredPeer = Omit<Peer, 'intelligence' | 'intelligence_raw'> & {
  intelligence: string;
  extra: Record<string, unknown>;
};

/** The whole registry in memory. `extra` holds unknown top-level keys. */
export interface PeersIndex {
  version: number;
  peers: Map<string, StoredPeer>;
  extra: Record<string, unknown>;
}

export const emptyIndex = (): PeersIndex => ({ version: 2, peers: new Map(), extra: {} });

/** Known record keys in the order of docs/behaviour.md §4.1 (`runtime` is the legacy mirror). */
export const RECORD_KEYS = ['personality', 'default_runtime', 'runtime', 'runtimes', 'description', 'intelligence', 'cwd', 'interfaces'] as const;

/** `runtimes` with the default first and no duplicates. */
export function orderRuntimes(defaultRuntime: string, ...lists: (readonly string[] | undefined)[]): string[] {
  const out = [defaultRuntime];
  for (const list of lists) for (const rt of list ?? []) if (!out.includes(rt)) out.push(rt);
  return out;
}

/** Clamp to MAX_DESCRIPTION_LEN; the warning (if any) goes back to the caller. */
export function clampDescription(description: string): { description: string; warning?: string } {
  if (description.length <= MAX_DESCRIPTION_LEN) return { description };
  return {
    description: description.slice(0, MAX_DESCRIPTION_LEN),
    warning: `description is ${description.length} characters; clamped to ${MAX_DESCRIPTION_LEN}`,
  };
}

/** The wire view of a record: nature plus raw intelligence, no legacy mirror, no unknown fields. */
export function toPeer(r: StoredPeer): Peer {
  const peer: Peer = {
    personality: r.personality,
    default_runtime: r.default_runtime,
    runtimes: [...r.runtimes],
    description: r.description,
    intelligence: safeNature(r),
    intelligence_raw: r.intelligence,
    cwd: r.cwd,
  };
  if (r.interfaces) peer.interfaces = r.interfaces;
  return peer;
}

function safeNature(r: StoredPeer) {
  try {
    return normalizeIntelligence(r.intelligence);
  } catch {
    // records are validated on read and on write; this only guards a hand-built record
    return defaultIntelligence(r.default_runtime);
  }
}
