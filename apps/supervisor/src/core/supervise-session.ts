import { parseIdentity } from '@iapeer/core';
import type { SupervisorDeps } from './deps';
import { humansAttached } from './activity';
import { ephemeralReapReason } from './ephemeral-reap';
import { EXIT_RECORD_WAIT_MS, canaryServerExit, shipExits } from './exits';
import { logSupervise, type SuperviseAction } from './log-events';

/** One decision of the tick about one session (§7.6). */
export interface SuperviseOutcome {
  identity: string;
  action: SuperviseAction;
  reason?: string;
  /** Death class of a gone session: server-dead or session-gone. */
  death?: string;
  /** Idle age in seconds. */
  age?: number;
  outcome?: string;
}

/** Non-decisions, logged only with IAPEER_SUPERVISE_LOG_VERBOSE. */
const QUIET_ACTIONS: ReadonlySet<SuperviseAction> = new Set(['alive', 'skipped-launchd']);

export function recordOutcome(deps: SupervisorDeps, o: SuperviseOutcome): SuperviseOutcome {
  if (!QUIET_ACTIONS.has(o.action) || deps.config.superviseLogVerbose) logSupervise(deps.events, o);
  return o;
}

/**
 * Evaluates one supervised session (one with a `.session` marker); null when it has none.
 * Serialised per identity with any other evaluation (the tick versus a wake's heal),
 * so a death is recorded once.
 */
export function superviseSession(deps: SupervisorDeps, identity: string): Promise<SuperviseOutcome | null> {
  return deps.evalLock.run(identity, () => evaluate(deps, identity));
}

async function evaluate(deps: SupervisorDeps, identity: string): Promise<SuperviseOutcome | null> {
  const { markers, clock } = deps;
  const session = markers.readSession(identity);
  if (!session) return null;
  const personality = parseIdentity(identity)?.personality ?? session.personality;

  // H4: a peer held by the service manager is never reaped or swept
  if (deps.serviceManager.isManaged(personality)) {
    return recordOutcome(deps, { identity, action: 'skipped-launchd', reason: 'held by the service manager' });
  }

  const now = clock.now();
  // the idle age (§7.6) goes on every decision line (§7.9 `age=<N>s`), a death's too: how
  // long the session had been quiet when it was found dead says crash-while-idle or not
  const wokeAtMs = Date.parse(session.wokeAt);
  const base = Number.isFinite(wokeAtMs) ? wokeAtMs : now;
  let activity: number | null = null;
  try {
    activity = await deps.activity.lastActivityMs(session);
  } catch {
    activity = null; // an unreadable proxy falls back to wokeAt, as a missing one does (§7.6)
  }
  const ageMs = now - Math.max(activity ?? base, base);
  const age = Math.max(0, Math.floor(ageMs / 1000));
  if (!(await deps.liveness.isAlive(identity))) {
    if (markers.has(identity, 'stopped')) {
      markers.clearSession(identity);
      markers.clear(identity, 'ephemeral-armed');
      if (!markers.has(identity, 'idle-reaped')) markers.set(identity, 'idle-reaped', new Date(now));
      await clearCorpse(deps, identity);
      return recordOutcome(deps, { identity, action: 'skipped-stopped', reason: 'stopped by the operator', age });
    }
    const eager = markers.has(identity, 'new-eager');
    // the slow part comes while .session is still there: a supervisor killed during it
    // leaves the death for the next pass to find and log, never a death without its line
    const death = eager ? undefined : await deps.liveness.classifyGone(identity);
    // the pane-died hook's record of this death goes to exits.log before the corpse goes:
    // a server that still answers may be running the hook right now
    if (death === 'session-gone') await deps.exitSpool?.awaitRecord?.(identity, EXIT_RECORD_WAIT_MS);
    // the death is on disk before .session goes: a SIGKILL in between re-counts, never loses it
    markers.recordDeath(identity, now);
    markers.clearSession(identity);
    markers.clear(identity, 'ephemeral-armed');
    if (death === undefined) {
      await clearCorpse(deps, identity);
      return recordOutcome(deps, { identity, action: 'needs-eager-fresh', reason: 'self-fresh requested', age, outcome: 'eager-relaunch' });
    }
    try {
      const recorded = shipExits(deps, identity);
      canaryServerExit(deps, { identity, wokeAt: session.wokeAt, death, recorded });
    } catch {
      // forensics are best-effort; the decision line below is not
    }
    await clearCorpse(deps, identity);
    return recordOutcome(deps, { identity, action: 'reaped-gone', reason: 'session no longer live', death, age, outcome: 'fresh-next-msg' });
  }

  if (session.wakePolicy === 'ephemeral') {
    const reason = ephemeralReapReason({
      armed: markers.has(identity, 'ephemeral-armed'),
      ageMs,
      quietSecs: deps.config.ephemeralQuietSecs,
      unarmedIdleSecs: deps.config.ephemeralUnarmedIdleSecs,
    });
    if (reason) {
      // unenrol before the kill: a crash in between leaves a live session without .session
      // (re-adopted at start, reaped again), never a dead one that would count as a death.
      // No park marker: an ephemeral worker always comes up fresh (§7.5 row 4).
      markers.clearSession(identity);
      await deps.liveness.kill(identity);
      markers.clear(identity, 'ephemeral-armed');
      return recordOutcome(deps, { identity, action: 'reaped-ephemeral', reason, age, outcome: 'fresh-next-msg' });
    }
  }
  if (ageMs > deps.config.idleSecs * 1000) {
    // a human at the terminal is not idle, whatever the transcript says (§7.6)
    const humans = await humansAttached(deps, identity);
    if (humans > 0) return recordOutcome(deps, { identity, action: 'skipped-attached', reason: `idle ${age}s but ${humans} terminal client(s) attached`, age });
    // park before kill: a SIGKILL after the kill still leaves a clean park, not a "crash"
    markers.set(identity, 'idle-reaped', new Date(now));
    await deps.liveness.kill(identity);
    markers.clearSession(identity);
    return recordOutcome(deps, { identity, action: 'reaped-idle', reason: `idle ${age}s > ${deps.config.idleSecs}s`, age, outcome: 'resume-eligible' });
  }
  return recordOutcome(deps, { identity, action: 'alive', age });
}

/**
 * A crashed agent leaves a dead pane (the tmux driver spawns with remain-on-exit) and so a
 * tmux server that would otherwise outlive the session for good, one per crash-looping
 * peer. Its output is already in the pane log, so the corpse is cleared once the death is
 * recorded. Best-effort: a failed kill changes no decision, and the next launch pre-cleans.
 */
async function clearCorpse(deps: SupervisorDeps, identity: string): Promise<void> {
  await deps.liveness.kill(identity).catch(() => undefined);
}
