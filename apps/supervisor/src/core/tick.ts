import { errorMessage, parseIdentity } from '@iapeer/core';
import type { SupervisorDeps } from './deps';
import { drainAllQueues, type DrainReport } from './ephemeral';
import { shipExits } from './exits';
import { mapLimit } from './map-limit';
import { recordOutcome, superviseSession, type SuperviseOutcome } from './supervise-session';
import type { WakeRequest, WakeResult } from './wake';

/** Sessions evaluated at once: each costs a stat and, with the control connection open, two pid checks (no tmux spawn; the first tick opens the connections). */
export const TICK_CONCURRENCY = 8;

export interface TickReport {
  outcomes: SuperviseOutcome[];
  relaunched: Array<{ identity: string; result: WakeResult }>;
  /** Ephemeral queue heads handed to a fresh session by this pass (§7.7). */
  drained: DrainReport[];
}

/**
 * One supervise pass (§7.6) over every `.session`. Each peer is isolated: an error is
 * logged as `skipped-error` and never stops the pass.
 */
export async function superviseTick(deps: SupervisorDeps): Promise<SuperviseOutcome[]> {
  const identities = deps.markers.listSessions();
  const results = await mapLimit(identities, TICK_CONCURRENCY, async (identity) => {
    try {
      return await superviseSession(deps, identity);
    } catch (err) {
      return recordOutcome(deps, { identity, action: 'skipped-error', reason: errorMessage(err) });
    }
  });
  return results.filter((o): o is SuperviseOutcome => o !== null);
}

/**
 * The eager relaunch (§7.6 step 2): for each `needs-eager-fresh`, clear `.new-eager`
 * first (a relaunch that dies again must not loop through here), then wake fresh with
 * no runtime, so the registry default is used.
 */
export async function processEagerRelaunches(
  deps: SupervisorDeps,
  outcomes: readonly SuperviseOutcome[],
  wake: (req: WakeRequest) => Promise<WakeResult>,
): Promise<TickReport['relaunched']> {
  const relaunched: TickReport['relaunched'] = [];
  for (const o of outcomes) {
    if (o.action !== 'needs-eager-fresh') continue;
    const id = parseIdentity(o.identity);
    if (!id) continue;
    try {
      deps.markers.clear(o.identity, 'new-eager');
      relaunched.push({ identity: o.identity, result: await wake({ personality: id.personality, task: '', resume: false, origin: 'eager-relaunch', heal: false }) });
    } catch (err) {
      recordOutcome(deps, { identity: o.identity, action: 'skipped-error', reason: `eager relaunch: ${errorMessage(err)}` });
    }
  }
  return relaunched;
}

/**
 * The whole timer pass: tick, then the eager relaunches, then the ephemeral queues (a
 * worker the tick just reaped takes its next message in the same pass).
 */
export async function runTickPass(deps: SupervisorDeps, wake: (req: WakeRequest) => Promise<WakeResult>): Promise<TickReport> {
  const outcomes = await superviseTick(deps);
  // every other spooled exit record (always-on peers, deaths the pass did not look at):
  // after the pass, so a server-death canary above saw its identity's record first
  shipExits(deps);
  const relaunched = await processEagerRelaunches(deps, outcomes, wake);
  const drained = await drainAllQueues(deps, wake, (identity, err) =>
    recordOutcome(deps, { identity, action: 'skipped-error', reason: `ephemeral drain: ${errorMessage(err)}` }),
  );
  return { outcomes, relaunched, drained };
}
