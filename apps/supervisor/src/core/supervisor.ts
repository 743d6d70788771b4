import { readActivity } from './activity';
import type { SupervisorDeps } from './deps';
import { armEphemeral, drainQueue, enqueueEphemeral, type EnqueueRequest } from './ephemeral';
import { markFresh, newPeer, noteTopic, refreshPeers } from './fresh-ops';
import { purgePeer } from './purge';
import { readoptSessions } from './readopt';
import { readState } from './state';
import { startPeers, stopPeers } from './stop-start';
import type { TargetSelector } from './targets';
import { runTickPass, type TickReport } from './tick';
import { wakeOrSpawn, type WakeRequest } from './wake';

/**
 * The supervisor's operations over one set of ports. The tick is single-flight: a
 * timer tick and a `tick` call that overlap share one pass.
 */
export function createSupervisor(given: SupervisorDeps, opts: { onDrainError?: (identity: string, err: unknown) => void } = {}) {
  const deps = trackLaunches(given);
  let inflight: Promise<TickReport> | undefined;
  const wake = (req: WakeRequest) => wakeOrSpawn(deps, req);
  const drain = (identity: string) => drainQueue(deps, identity, wake);
  // the inline kick after an enqueue: the sender is answered first; a failure waits for the tick
  const kick = (identity: string) => void drain(identity).catch((err) => opts.onDrainError?.(identity, err));
  return {
    deps,
    wake,
    tick: (): Promise<TickReport> =>
      (inflight ??= runTickPass(deps, wake).finally(() => {
        inflight = undefined;
      })),
    stop: (sel: TargetSelector) => stopPeers(deps, sel),
    start: async (sel: TargetSelector) => {
      const out = await startPeers(deps, sel);
      // messages queued for a worker before its stop wait no longer than this
      for (const r of out) if (r.outcome === 'started' && deps.queue.depth(r.identity) > 0) kick(r.identity);
      return out;
    },
    markFresh: (identity: string, scheduleKill?: (kill: () => Promise<void>) => Promise<void>) => markFresh(deps, identity, scheduleKill),
    refresh: (sel: TargetSelector) => refreshPeers(deps, sel),
    new: (sel: { personality: string; runtime?: string }) => newPeer(deps, sel),
    state: (sel: { personality?: string }) => readState(deps, sel),
    noteTopic: (identity: string, topic: string) => noteTopic(deps, identity, topic),
    purge: (personality: string) => purgePeer(deps, personality),
    enqueue: (req: EnqueueRequest) => enqueueEphemeral(deps, req, kick),
    drain,
    arm: (identity: string) => armEphemeral(deps, identity),
    readopt: () => readoptSessions(deps),
    activity: (identity: string) => readActivity(deps, identity),
  };
}

/** Every launch marks its identity `booting` (§6.4) from its start to its result. */
function trackLaunches(deps: SupervisorDeps): SupervisorDeps {
  const launching = deps.launching ?? new Set<string>();
  const inner = deps.launcher;
  return {
    ...deps,
    launching,
    launcher: {
      async launch(spec, adapter, firstMessage, opts) {
        launching.add(spec.identity);
        try {
          return await inner.launch(spec, adapter, firstMessage, opts);
        } finally {
          launching.delete(spec.identity);
        }
      },
    },
  };
}

export type Supervisor = ReturnType<typeof createSupervisor>;
