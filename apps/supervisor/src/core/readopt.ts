import { errorMessage, parseIdentity } from '@iapeer/core';
import type { SupervisorDeps } from './deps';
import { logSupervise } from './log-events';

export interface ReadoptReport {
  /** Sessions already enrolled by their `.session` marker (kept as they are). */
  enrolled: string[];
  /** Live sessions that had lost their marker and were enrolled again. */
  readopted: string[];
  /** Live sessions of stopped peers whose stop was cut short: the kill is finished. */
  stopCompleted: string[];
  /** Idle reaps cut after the kill: `.session` dropped, the park kept, no death counted. */
  reapCompleted: string[];
  /** Idle reaps cut before the kill: the session still runs, so its stale park is cleared. */
  parkCleared: string[];
}

/**
 * Runs once when the supervisor starts. Supervision state lives only on disk, so the
 * `.session` markers already re-enrol every session the previous process knew; this also
 * adopts live tmux sessions whose marker was never written (a SIGKILL between READY and
 * the write) and finishes stops that were cut between `.stopped` and the kill.
 */
export async function readoptSessions(deps: SupervisorDeps): Promise<ReadoptReport> {
  const enrolled = deps.markers.listSessions();
  const known = new Set(enrolled);
  const report: ReadoptReport = { enrolled, readopted: [], stopCompleted: [], reapCompleted: [], parkCleared: [] };
  for (const identity of enrolled) {
    try {
      await settleCutReap(deps, identity, report);
    } catch (err) {
      logSupervise(deps.events, { identity, action: 'skipped-error', reason: `readopt: ${errorMessage(err)}` });
    }
  }
  for (const identity of await deps.liveness.listLive()) {
    if (known.has(identity)) continue;
    const id = parseIdentity(identity);
    if (!id || deps.serviceManager.isManaged(id.personality)) continue;
    try {
      if (deps.markers.has(identity, 'stopped')) {
        await deps.liveness.kill(identity);
        report.stopCompleted.push(identity);
        logSupervise(deps.events, { identity, action: 'stop-completed', reason: 'live session of a stopped peer at supervisor start' });
        continue;
      }
      const peer = await deps.directory.get(id.personality);
      if (!peer) continue; // not ours to supervise: no registered peer owns this identity
      deps.markers.writeSession({
        identity,
        runtime: id.runtime,
        personality: id.personality,
        cwd: peer.cwd,
        wokeAt: new Date(deps.clock.now()).toISOString(),
        ...(peer.wakePolicy && { wakePolicy: peer.wakePolicy }),
      });
      report.readopted.push(identity);
      logSupervise(deps.events, { identity, action: 'readopted', reason: 'live session without a .session marker' });
    } catch (err) {
      logSupervise(deps.events, { identity, action: 'skipped-error', reason: `readopt: ${errorMessage(err)}` });
    }
  }
  return report;
}

/**
 * The idle reap writes the park, kills, then drops `.session`. A SIGKILL of the supervisor
 * in between leaves `.idle-reaped` beside `.session` (a stop cut the same way also has
 * `.stopped`, and the tick's skipped-stopped branch finishes it). Found by the e2e test
 * that kills the supervisor mid-tick:
 * - session gone: the reap is finished as the park it was, not recorded as a crash death
 *   (the tick would otherwise count a death and could trip the crash-loop guard);
 * - session live: the park is stale and is cleared, or a later crash of this session
 *   would be mistaken for a clean park and resumed (§7.5 says a crash comes up fresh).
 *   The session stays enrolled; the next tick reaps it again if it is still idle.
 */
async function settleCutReap(deps: SupervisorDeps, identity: string, report: ReadoptReport): Promise<void> {
  const { markers } = deps;
  if (!markers.has(identity, 'idle-reaped') || markers.has(identity, 'stopped')) return;
  await deps.evalLock.run(identity, async () => {
    if (!markers.readSession(identity) || !markers.has(identity, 'idle-reaped')) return;
    if (await deps.liveness.isAlive(identity)) {
      markers.clear(identity, 'idle-reaped');
      report.parkCleared.push(identity);
      logSupervise(deps.events, { identity, action: 'park-cleared', reason: 'idle reap cut before the kill; the session is live' });
      return;
    }
    await deps.liveness.kill(identity).catch(() => undefined); // a dead pane's corpse, if any
    markers.clearSession(identity);
    report.reapCompleted.push(identity);
    logSupervise(deps.events, { identity, action: 'reap-completed', reason: 'idle reap cut after the kill', outcome: 'resume-eligible' });
  });
}
