import { parseIdentity } from '@iapeer/core';
import { countDeathsInWindow } from './crash-loop';
import type { SupervisorDeps } from './deps';
import type { SessionRecord } from './markers';
import type { SupervisedPeer } from './ports';
import { resolveTargets } from './targets';

export type SessionStatus = 'live' | 'asleep' | 'stopped';

export interface IdentityState {
  identity: string;
  personality: string;
  runtime: string;
  status: SessionStatus;
  /** Newest activity in epoch ms (the runtime's proxy, else the session's wokeAt); null when unknown. */
  lastActivityMs: number | null;
  deathsInWindow: number;
  /** Messages waiting in the identity's ephemeral queue (§7.7). */
  queueDepth: number;
  markers: {
    session: SessionRecord | null;
    stopped: boolean;
    idleReaped: boolean;
    newEager: boolean;
    freshNext: boolean;
    ephemeralArmed: boolean;
    topics: string[];
    deaths: number[];
  };
}

/**
 * Per identity: live / asleep / stopped, last activity, deaths in the crash-loop window,
 * and the raw markers. With a personality: each of its declared runtimes; without: every
 * identity that has markers or a live tmux server.
 */
export async function readState(deps: SupervisorDeps, sel: { personality?: string }): Promise<IdentityState[]> {
  let identities: string[];
  const peers = new Map<string, SupervisedPeer | null>();
  if (sel.personality) {
    const targets = await resolveTargets(deps, { personality: sel.personality });
    identities = targets.map((t) => t.identity);
    peers.set(sel.personality, targets[0]?.peer ?? null);
  } else {
    identities = [...new Set([...deps.markers.listIdentities(), ...(await deps.liveness.listLive())])].sort();
  }
  const now = deps.clock.now();
  const out: IdentityState[] = [];
  for (const identity of identities) {
    const id = parseIdentity(identity);
    if (!id) continue;
    const m = deps.markers;
    const session = m.readSession(identity);
    const live = await deps.liveness.isAlive(identity);
    const stopped = m.has(identity, 'stopped');
    if (!peers.has(id.personality)) peers.set(id.personality, await deps.directory.get(id.personality).catch(() => null));
    const cwd = session?.cwd ?? peers.get(id.personality)?.cwd;
    const deaths = m.readDeaths(identity);
    out.push({
      identity,
      personality: id.personality,
      runtime: id.runtime,
      status: live ? 'live' : stopped ? 'stopped' : 'asleep',
      lastActivityMs: await lastActivity(deps, identity, id.runtime, cwd, session),
      deathsInWindow: countDeathsInWindow(deaths, now, deps.config),
      queueDepth: deps.queue.depth(identity),
      markers: {
        session,
        stopped,
        idleReaped: m.has(identity, 'idle-reaped'),
        newEager: m.has(identity, 'new-eager'),
        freshNext: m.has(identity, 'fresh-next'),
        ephemeralArmed: m.has(identity, 'ephemeral-armed'),
        topics: m.readTopics(identity),
        deaths,
      },
    });
  }
  return out;
}

async function lastActivity(deps: SupervisorDeps, identity: string, runtime: string, cwd: string | undefined, session: SessionRecord | null): Promise<number | null> {
  const woke = session ? Date.parse(session.wokeAt) : NaN;
  let proxy: number | null = null;
  if (cwd) {
    try {
      proxy = await deps.activity.lastActivityMs({ identity, runtime, cwd });
    } catch {
      proxy = null; // state is a read-only report: an unreadable proxy shows as unknown
    }
  }
  const candidates = [proxy, Number.isFinite(woke) ? woke : null].filter((v): v is number => v !== null);
  return candidates.length ? Math.max(...candidates) : null;
}
