import type { StoredPeer, PeersIndex } from './peer-record';

/**
 * The file text of docs/behaviour.md §4.1: `{version, peers}` (then unknown top-level keys),
 * peers sorted by personality (locale compare), record keys in schema order then the
 * unknown ones, two-space indent, trailing newline. Still writes the legacy `runtime` mirror.
 */
export function serializeIndex(index: PeersIndex): string {
  const peers = [...index.peers.values()].sort((a, b) => a.personality.localeCompare(b.personality)).map(recordToJson);
  return JSON.stringify({ version: index.version, peers, ...index.extra }, null, 2) + '\n';
}

function recordToJson(r: StoredPeer): Record<string, unknown> {
  const out: Record<string, unknown> = {
    personality: r.personality,
    default_runtime: r.default_runtime,
    runtime: r.default_runtime,
    runtimes: r.runtimes,
    description: r.description,
    intelligence: r.intelligence,
    cwd: r.cwd,
  };
  if (r.interfaces !== undefined) out.interfaces = r.interfaces;
  return { ...out, ...r.extra };
}
