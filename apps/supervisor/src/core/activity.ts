import type { ActivityReading, ActivityState } from '@iapeer/contracts';
import { errorMessage, parseIdentity } from '@iapeer/core';
import { combineWithHumans, readScreen } from '@iapeer/runtimes';
import type { SupervisorDeps } from './deps';

/**
 * A session's activity state (§6.4): what the supervisor knows (a launch running:
 * `booting`; not alive: `dead`) first, then one look at the terminal (screen + attached
 * humans) read by the runtime's own screen rules. Never guessed: a screen no rule
 * matches is `unknown`.
 */
export async function readActivity(deps: SupervisorDeps, identity: string): Promise<ActivityReading> {
  const at = deps.clock.now();
  const id = parseIdentity(identity);
  const reading = (state: ActivityState, why: string, humans = 0): ActivityReading => ({ identity, state, humans, why, at });
  if (!id) return reading('unknown', 'not an identity');
  if (deps.launching?.has(identity)) return reading('booting', 'launch in progress');
  if (!(await deps.liveness.isAlive(identity))) return reading('dead', 'no live session (pane dead, session or server gone)');
  if (!deps.screens) return reading('unknown', 'no screen probe');
  let seen: { screen: string; humans: number };
  try {
    seen = await deps.screens.observe(identity);
  } catch (err) {
    // it may have died between the two calls
    if (!(await deps.liveness.isAlive(identity))) return reading('dead', 'session ended while read');
    return reading('unknown', `screen unreadable: ${errorMessage(err)}`);
  }
  const adapter = deps.adapters.get(id.runtime);
  if (!adapter) return reading('unknown', `runtime "${id.runtime}" has no adapter`, seen.humans);
  const combined = combineWithHumans(readScreen(adapter, seen.screen), seen.humans);
  return reading(combined.state, combined.why, seen.humans);
}

/** Human terminals attached to a live session; 0 when it cannot be told (no probe, unreadable). */
export async function humansAttached(deps: SupervisorDeps, identity: string): Promise<number> {
  if (!deps.screens) return 0;
  try {
    return (await deps.screens.observe(identity)).humans;
  } catch {
    return 0;
  }
}
