import type { SupervisorDeps } from './deps';
import { resolveTargets, type Target, type TargetSelector } from './targets';

export type StopOutcome = 'stopped' | 'bootout' | 'refused-foreign-launchd' | 'failed';
export type StartOutcome = 'started' | 'bootstrap' | 'refused-foreign-launchd' | 'failed';

export interface OpResult<O extends string> {
  personality: string;
  runtime: string;
  identity: string;
  outcome: O;
  reason?: string;
}

function foreignReason(deps: SupervisorDeps, p: string): string {
  const job = deps.serviceManager.describeJob(p);
  return `a foreign service file sits at ${job.file} (label ${job.label}, no iapeer sentinel); iapeer never stops, starts or rewrites it — manage it by hand or move it away`;
}

/** An always-on peer: its own job file (ours) is what holds it, so stop/start act through the service manager. */
function isInfra(deps: SupervisorDeps, t: Target): boolean {
  return deps.serviceManager.ownership(t.peer.personality) === 'ours';
}

function managerReason(r: { outcome: string; detail?: string }, verb: 'bootout' | 'bootstrap'): string | undefined {
  if (r.outcome === 'skipped-sandbox') return 'service manager skipped in the test sandbox';
  if (r.outcome === 'failed') return `FAILED to ${verb}${r.detail ? `: ${r.detail}` : ''}; manual rescue: check the service manager`;
  return undefined;
}

/**
 * `stop` (§10): a durable operator stop. `.stopped` goes first (new wakes refuse at once),
 * then under the wake lock (an in-flight launch finishes first) the session is parked
 * (`.idle-reaped`, so the next start may resume) before it is killed and unenrolled.
 */
export async function stopPeers(deps: SupervisorDeps, sel: TargetSelector): Promise<OpResult<StopOutcome>[]> {
  const out: OpResult<StopOutcome>[] = [];
  for (const t of await resolveTargets(deps, sel)) {
    const base = { personality: t.peer.personality, runtime: t.runtime, identity: t.identity };
    const owner = deps.serviceManager.ownership(t.peer.personality);
    if (owner === 'foreign') {
      out.push({ ...base, outcome: 'refused-foreign-launchd', reason: foreignReason(deps, t.peer.personality) });
      continue;
    }
    if (isInfra(deps, t)) {
      // the manager first (so it does not restart the holder), then the session: run-infra
      // tears it down on SIGTERM, and this kill covers a holder that is already gone
      const r = await deps.serviceManager.bootout(t.peer.personality);
      if (r.outcome !== 'failed') await deps.liveness.kill(t.identity);
      out.push({ ...base, outcome: r.outcome === 'failed' ? 'failed' : 'bootout', reason: managerReason(r, 'bootout') });
      continue;
    }
    const now = new Date(deps.clock.now());
    deps.markers.set(t.identity, 'stopped', now);
    await deps.wakeLock(t.identity, deps.markers.wakeLockFile(t.identity), async () => {
      deps.markers.set(t.identity, 'idle-reaped', now);
      await deps.liveness.kill(t.identity);
      deps.markers.clearSession(t.identity);
    });
    out.push({ ...base, outcome: 'stopped' });
  }
  return out;
}

/**
 * `start` (§10): clears `.stopped` (no session is launched; the next message wakes it)
 * and the death history, so start is the operator's way out of the crash-loop guard.
 */
export async function startPeers(deps: SupervisorDeps, sel: TargetSelector): Promise<OpResult<StartOutcome>[]> {
  const out: OpResult<StartOutcome>[] = [];
  for (const t of await resolveTargets(deps, sel)) {
    const base = { personality: t.peer.personality, runtime: t.runtime, identity: t.identity };
    const owner = deps.serviceManager.ownership(t.peer.personality);
    if (owner === 'foreign') {
      out.push({ ...base, outcome: 'refused-foreign-launchd', reason: foreignReason(deps, t.peer.personality) });
      continue;
    }
    if (isInfra(deps, t)) {
      const r = await deps.serviceManager.bootstrap(t.peer.personality);
      out.push({ ...base, outcome: r.outcome === 'failed' ? 'failed' : 'bootstrap', reason: managerReason(r, 'bootstrap') });
      continue;
    }
    deps.markers.clear(t.identity, 'stopped');
    deps.markers.clearDeaths(t.identity);
    out.push({ ...base, outcome: 'started' });
  }
  return out;
}
