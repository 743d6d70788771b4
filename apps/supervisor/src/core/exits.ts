import os from 'node:os';
import type { SupervisorDeps } from './deps';
import type { EventLog } from './ports';

/**
 * One pane death as the session's pane-died hook recorded it (libs/tmux/scripts/exit-record.cjs):
 * `status` when the agent exited, `signal` when a signal ended it, the last rows of the pane.
 */
export interface ExitRecord {
  /** ISO time of the death (when the hook ran). */
  at: string;
  identity: string;
  status: number | null;
  signal: number | null;
  tail: string;
  tail_error?: string;
}

/** The hooks' spool (`<paneLogDir>/<identity>.exits`): what it holds is taken out, once. */
export interface ExitSpool {
  /** The records of one identity, or of all when absent; removed from the spool. */
  take(identity?: string): ExitRecord[];
  /**
   * Resolves once a record of `identity` is spooled, or after `ms`. The hook runs a
   * process (~0.1 s) after the death: a tick that finds the dead pane at once must not
   * kill its server (and the hook with it) before the record is written.
   */
  awaitRecord?(identity: string, ms: number): Promise<void>;
}

/** How long the tick waits for a dead pane's hook record before it clears the corpse. */
export const EXIT_RECORD_WAIT_MS = 3000;

const SIGNAL_NAMES = new Map(Object.entries(os.constants.signals).map(([name, n]) => [n as number, name]));

/** `ev=session-exit` (docs/behaviour.md §7.8, exits.log): one line per recorded death. */
export function logSessionExit(events: EventLog, r: ExitRecord): void {
  events.emit('exits', {
    ev: 'session-exit',
    identity: r.identity,
    dead_status: r.status ?? undefined,
    dead_signal: r.signal ?? undefined,
    signame: r.signal === null ? undefined : SIGNAL_NAMES.get(r.signal),
    at: r.at,
    tail: r.tail,
    tail_error: r.tail_error,
  });
}

/** Ships the spooled exit records (one identity's, or all) to exits.log; returns them. */
export function shipExits(deps: Pick<SupervisorDeps, 'exitSpool' | 'events'>, identity?: string): ExitRecord[] {
  if (!deps.exitSpool) return [];
  const records = deps.exitSpool.take(identity);
  for (const r of records) logSessionExit(deps.events, r);
  return records;
}

/**
 * The server-death canary (§7.6): a session whose whole tmux server is gone, and no
 * pane-died record since it woke, died with its server (a killed or crashed tmux): the
 * hook never ran, so this is the only trace of it in exits.log. `ev=server-exit`.
 */
export function canaryServerExit(deps: Pick<SupervisorDeps, 'events'>, f: { identity: string; wokeAt: string; death: string; recorded: readonly ExitRecord[] }): boolean {
  if (f.death !== 'server-dead') return false;
  const since = Date.parse(f.wokeAt);
  if (f.recorded.some((r) => !Number.isFinite(since) || Date.parse(r.at) >= since)) return false;
  deps.events.emit('exits', { ev: 'server-exit', identity: f.identity, woke_at: f.wokeAt, reason: 'tmux server gone without a pane-died record' });
  return true;
}
