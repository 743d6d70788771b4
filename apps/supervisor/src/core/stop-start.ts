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

const foreignReason = (p: string) => `a foreign service file sits at com.iapeer.${p} (no com.iapeer.managed sentinel); iapeer leaves it alone`;

function isInfra(deps: SupervisorDeps, t: Target): boolean {
  return deps.adapters.get(t.runtime)?.kind === 'router' || deps.serviceManager.ownership(t.peer.personality) === 'ours';
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
      out.push({ ...base, outcome: 'refused-foreign-launchd', reason: foreignReason(t.peer.personality) });
      continue;
    }
    if (isInfra(deps, t)) {
      const r = await deps.serviceManager.bootout(t.peer.personality);
      await deps.liveness.kill(t.identity);
      out.push({ ...base, outcome: r === 'failed' ? 'failed' : 'bootout', reason: r === 'skipped-sandbox' ? 'service manager skipped in the test sandbox' : undefined });
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
      out.push({ ...base, outcome: 'refused-foreign-launchd', reason: foreignReason(t.peer.personality) });
      continue;
    }
    if (isInfra(deps, t)) {
      const r = await deps.serviceManager.bootstrap(t.peer.personality);
      out.push({ ...base, outcome: r === 'failed' ? 'failed' : 'bootstrap', reason: r === 'failed' ? 'FAILED to bootstrap; manual rescue: check the service manager' : r === 'skipped-sandbox' ? 'service manager skipped in the test sandbox' : undefined });
      continue;
    }
    deps.markers.clear(t.identity, 'stopped');
    deps.markers.clearDeaths(t.identity);
    out.push({ ...base, outcome: 'started' });
  }
  return out;
}
