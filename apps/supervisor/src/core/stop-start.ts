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

function managerReason(r: { outcome: string; detail?: string }, verb: 'bootout' | 'bootstrap'): string | undefined {
  if (r.outcome === 'skipped-sandbox') return 'service manager skipped in the test sandbox';
  if (r.outcome === 'failed') return `FAILED to ${verb}${r.detail ? `: ${r.detail}` : ''}; manual rescue: check the service manager`;
  return undefined;
}

type Row<O extends string> = Omit<OpResult<O>, 'personality' | 'runtime' | 'identity'>;

/**
 * The walk stop and start share: resolve the targets, read each peer's job ownership once,
 * refuse a foreign job, hand an always-on peer (our job file holds it) to `infra`, and
 * every other peer to `local`.
 */
async function eachTarget<O extends string>(
  deps: SupervisorDeps,
  sel: TargetSelector,
  act: { infra(t: Target): Promise<Row<O>>; local(t: Target): Promise<Row<O>> },
): Promise<OpResult<O | 'refused-foreign-launchd'>[]> {
  const out: OpResult<O | 'refused-foreign-launchd'>[] = [];
  for (const t of await resolveTargets(deps, sel)) {
    const base = { personality: t.peer.personality, runtime: t.runtime, identity: t.identity };
    const owner = deps.serviceManager.ownership(t.peer.personality);
    if (owner === 'foreign') out.push({ ...base, outcome: 'refused-foreign-launchd', reason: foreignReason(deps, t.peer.personality) });
    else out.push({ ...base, ...(owner === 'ours' ? await act.infra(t) : await act.local(t)) });
  }
  return out;
}

/**
 * `stop` (§10): a durable operator stop. `.stopped` goes first (new wakes refuse at once),
 * then under the wake lock (an in-flight launch finishes first) the session is parked
 * (`.idle-reaped`, so the next start may resume) before it is killed and unenrolled.
 */
export function stopPeers(deps: SupervisorDeps, sel: TargetSelector): Promise<OpResult<StopOutcome>[]> {
  return eachTarget<StopOutcome>(deps, sel, {
    async infra(t) {
      // the manager first (so it does not restart the holder), then the session: run-infra
      // tears it down on SIGTERM, and this kill covers a holder that is already gone
      const r = await deps.serviceManager.bootout(t.peer.personality);
      if (r.outcome !== 'failed') await deps.liveness.kill(t.identity);
      return { outcome: r.outcome === 'failed' ? 'failed' : 'bootout', reason: managerReason(r, 'bootout') };
    },
    async local(t) {
      const now = new Date(deps.clock.now());
      deps.markers.set(t.identity, 'stopped', now);
      await deps.wakeLock(t.identity, deps.markers.wakeLockFile(t.identity), async () => {
        deps.markers.set(t.identity, 'idle-reaped', now);
        await deps.liveness.kill(t.identity);
        deps.markers.clearSession(t.identity);
      });
      return { outcome: 'stopped' };
    },
  });
}

/**
 * `start` (§10): clears `.stopped` (no session is launched; the next message wakes it)
 * and the death history, so start is the operator's way out of the crash-loop guard.
 */
export function startPeers(deps: SupervisorDeps, sel: TargetSelector): Promise<OpResult<StartOutcome>[]> {
  return eachTarget<StartOutcome>(deps, sel, {
    async infra(t) {
      const r = await deps.serviceManager.bootstrap(t.peer.personality);
      return { outcome: r.outcome === 'failed' ? 'failed' : 'bootstrap', reason: managerReason(r, 'bootstrap') };
    },
    async local(t) {
      deps.markers.clear(t.identity, 'stopped');
      deps.markers.clearDeaths(t.identity);
      return { outcome: 'started' };
    },
  });
}
