/**
 * The fleet as the page shows it, built from what the services said: the registry's
 * peers, the supervisor's per-identity state and its live activity readings, the
 * services' health, and recent failed deliveries. Pure: the feed (fleet-feed.ts)
 * gathers the inputs and calls `buildSnapshot` whenever one of them changes.
 */
import type { ActivityReading, AttentionItem, Decision, FleetIdentity, FleetRow, FleetSnapshot, FleetState, Peer } from '@iapeer/contracts';

/** The supervisor's `state` answer for one identity (the fields the console reads). */
export interface IdentityStatus {
  identity: string;
  personality: string;
  runtime: string;
  status: 'live' | 'asleep' | 'stopped';
  lastActivityMs: number | null;
  deathsInWindow: number;
  queueDepth: number;
  markers: { stopped: boolean; topics: string[] };
}

export interface ServiceStatus {
  name: string;
  up: boolean;
  reason?: string;
}

export interface FleetInputs {
  peers: readonly Peer[];
  states: ReadonlyMap<string, IdentityStatus>;
  activity: ReadonlyMap<string, ActivityReading>;
  services: readonly ServiceStatus[];
  /** delivery decisions with ok=false, newest last. */
  failedDeliveries: readonly Decision[];
  crashLoopMax: number;
  now: number;
}

/** How long a failed delivery stays in the attention list. */
export const FAILED_DELIVERY_WINDOW_MS = 10 * 60_000;

/**
 * One identity's row state. A live screen reading wins (it is the freshest fact);
 * without one, the supervisor's status: stopped, crash-looped (the guard's threshold
 * reached in its window), asleep, or a live session not read yet.
 */
export function identityState(status: IdentityStatus | undefined, reading: ActivityReading | undefined, crashLoopMax: number): { state: FleetState; why: string } {
  if (reading && reading.state !== 'dead') return { state: reading.state, why: reading.why };
  if (status?.markers.stopped) return { state: 'stopped', why: 'stopped by an operator' };
  if (status && status.status === 'live' && !reading) return { state: 'unknown', why: 'live, screen not read yet' };
  if (status && status.deathsInWindow >= crashLoopMax) return { state: 'crash-looped', why: `${status.deathsInWindow} deaths in the crash-loop window` };
  return { state: 'asleep', why: reading?.state === 'dead' ? `asleep (${reading.why})` : 'no live session' };
}

function identityOf(peer: Peer, runtime: string, inputs: FleetInputs): FleetIdentity {
  const identity = `${runtime}-${peer.personality}`;
  const status = inputs.states.get(identity);
  const reading = inputs.activity.get(identity);
  const { state, why } = identityState(status, reading, inputs.crashLoopMax);
  const topics = status?.markers.topics ?? [];
  return {
    identity,
    runtime,
    state,
    why,
    humans: reading && reading.state !== 'dead' ? reading.humans : 0,
    lastActivityMs: status?.lastActivityMs ?? null,
    deathsInWindow: status?.deathsInWindow ?? 0,
    queueDepth: status?.queueDepth ?? 0,
    topic: topics.length > 0 ? topics[topics.length - 1] : null,
  };
}

export function buildRows(inputs: FleetInputs): FleetRow[] {
  return [...inputs.peers]
    .sort((a, b) => a.personality.localeCompare(b.personality))
    .map((peer) => ({
      personality: peer.personality,
      runtimes: [...peer.runtimes],
      defaultRuntime: peer.default_runtime,
      ...(peer.description ? { description: peer.description } : {}),
      identities: peer.runtimes.map((rt) => identityOf(peer, rt, inputs)),
    }));
}

/** What needs a human: each item names the peer it is about, so the page can link to it. */
export function buildAttention(rows: readonly FleetRow[], inputs: FleetInputs): AttentionItem[] {
  const out: AttentionItem[] = [];
  for (const s of inputs.services) if (!s.up) out.push({ kind: 'service-down', text: `${s.name} is down${s.reason ? `: ${s.reason}` : ''}`, at: inputs.now });
  for (const row of rows) {
    for (const id of row.identities) {
      const at = id.lastActivityMs ?? inputs.now;
      if (id.state === 'crash-looped') out.push({ kind: 'crash-loop', personality: row.personality, text: `${id.identity}: crash-loop guard tripped (${id.why})`, at });
      if (id.state === 'waiting') out.push({ kind: 'waiting', personality: row.personality, text: `${id.identity}: waiting for an answer on screen (${id.why})`, at });
      if (id.state === 'held') out.push({ kind: 'held', personality: row.personality, text: `${id.identity}: held by a human at the keyboard (${id.humans} attached)`, at });
    }
  }
  for (const d of inputs.failedDeliveries) {
    const at = Date.parse(d.ts);
    if (!(inputs.now - at <= FAILED_DELIVERY_WINDOW_MS)) continue;
    out.push({ kind: 'delivery-failed', ...(d.peer ? { personality: d.peer } : {}), text: `delivery to ${d.fields.to ?? '?'} failed: ${d.fields.code ?? ''} ${d.fields.err ?? ''}`.trim(), at });
  }
  return out;
}

export function buildSnapshot(version: number, inputs: FleetInputs): FleetSnapshot {
  const rows = buildRows(inputs);
  return { version, at: inputs.now, rows, services: inputs.services.map((s) => ({ ...s })), attention: buildAttention(rows, inputs) };
}
