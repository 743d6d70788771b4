/**
 * The roster (docs/fleet.md): every heartbeat, this host's peers (name, runtimes, state;
 * nothing else) go to its key in the roster bucket; reading the bucket gives every host.
 */
import { RosterEntrySchema, type FleetHost, type FleetPeer, type RosterEntry } from '@iapeer/contracts';
import type { KV } from '@nats-io/kv';

/** The local services the roster reads (the registry's list, the supervisor's states). */
export interface LocalPeers {
  list(): Promise<{ personality: string; runtimes: string[]; default_runtime: string }[]>;
  states(): Promise<{ personality: string; status: 'live' | 'asleep' | 'stopped' }[]>;
}

export async function readLocalPeers(local: LocalPeers): Promise<FleetPeer[]> {
  const peers = await local.list();
  const states = await local.states().catch(() => null);
  return peers.map((p) => ({ name: p.personality, runtimes: p.runtimes, defaultRuntime: p.default_runtime, state: stateOf(p.personality, states) }));
}

function stateOf(name: string, states: { personality: string; status: 'live' | 'asleep' | 'stopped' }[] | null): FleetPeer['state'] {
  if (!states) return 'unknown';
  const mine = states.filter((s) => s.personality === name).map((s) => s.status);
  if (mine.includes('live')) return 'live';
  if (mine.includes('stopped')) return 'stopped';
  return 'asleep';
}

/** A host is up while its entry is younger than three heartbeats (hosts keep their clocks in NTP sync). */
export const isUp = (e: RosterEntry, now: number): boolean => now - e.updatedAt < 3 * e.heartbeatMs;

export async function publishEntry(kv: KV, entry: RosterEntry): Promise<void> {
  await kv.put(entry.host, JSON.stringify(entry));
}

/** Every host's entry; one that does not parse is skipped (the roster is untrusted input). */
export async function readRoster(kv: KV, self: string, now: number): Promise<FleetHost[]> {
  const out: FleetHost[] = [];
  for await (const key of await kv.keys()) {
    const entry = await readEntry(kv, key);
    if (entry) out.push({ ...entry, up: isUp(entry, now), self: entry.host === self });
  }
  return out.sort((a, b) => a.host.localeCompare(b.host));
}

export async function readEntry(kv: KV, host: string): Promise<RosterEntry | null> {
  const e = await kv.get(host);
  if (!e || e.operation !== 'PUT') return null;
  const parsed = RosterEntrySchema.safeParse(safeJson(e.string()));
  return parsed.success && parsed.data.host === host ? parsed.data : null;
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
