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
  const report: ReadoptReport = { enrolled, readopted: [], stopCompleted: [] };
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
      deps.markers.writeSession({ identity, runtime: id.runtime, personality: id.personality, cwd: peer.cwd, wokeAt: new Date(deps.clock.now()).toISOString() });
      report.readopted.push(identity);
      logSupervise(deps.events, { identity, action: 'readopted', reason: 'live session without a .session marker' });
    } catch (err) {
      logSupervise(deps.events, { identity, action: 'skipped-error', reason: `readopt: ${errorMessage(err)}` });
    }
  }
  return report;
}
