import { IapeerError, formatIdentity, parseIdentity } from '@iapeer/core';
import type { EnqueueInput } from '@iapeer/contracts';
import type { SupervisorDeps } from './deps';
import { logEphemeralDrain } from './log-events';
import { mapLimit } from './map-limit';
import { normalizeTopic } from './markers';
import { managedReason, resolveWakeRuntime, stoppedReason, type WakeRequest, type WakeResult } from './wake';
import { runtimeUnavailableReason } from './runtime-unavailable';

/** A message for an ephemeral worker: the contract's `enqueue` input. */
export type EnqueueRequest = EnqueueInput;

export interface EnqueueReport {
  identity: string;
  seq: string;
  depth: number;
  duplicate: boolean;
}

/** One queue head handed to a wake by a drain, and the wake's answer. */
export interface DrainReport {
  identity: string;
  seq: string;
  result: WakeResult;
}

type Wake = (req: WakeRequest) => Promise<WakeResult>;

/** Queues drained at once: each drain of an asleep worker is a launch. */
const DRAIN_CONCURRENCY = 4;

/**
 * `enqueue` (§7.7): the router's message for an ephemeral worker goes to the identity's
 * FIFO on disk before the answer (an accepted message survives a crash). Refused, with
 * nothing written, like a send would be: an unknown peer or runtime, a stopped peer, a
 * peer the service manager holds, a runtime the supervisor cannot wake (no adapter, or a
 * router runtime). `kick` starts a drain without holding the answer.
 */
export async function enqueueEphemeral(deps: SupervisorDeps, req: EnqueueRequest, kick: (identity: string) => void): Promise<EnqueueReport> {
  const peer = await deps.directory.get(req.personality);
  if (!peer) throw new IapeerError('PEER_NOT_FOUND', `unknown peer "${req.personality}": not in the iapeer peers index`);
  const rt = resolveWakeRuntime(peer, req.runtime);
  if (!rt.ok) throw new IapeerError('RUNTIME_NOT_DECLARED', rt.reason);
  const identity = formatIdentity({ runtime: rt.runtime, personality: peer.personality });
  if (deps.serviceManager.isManaged(peer.personality)) throw new IapeerError('LAUNCHD_MANAGED', managedReason(peer.personality));
  // a message no drain could ever hand over is refused now, not left in the queue for good
  const adapter = deps.adapters.get(rt.runtime);
  if (!adapter) throw new IapeerError('RUNTIME_UNAVAILABLE', runtimeUnavailableReason(deps.adapters, rt.runtime));
  if (adapter.kind === 'router') throw new IapeerError('LAUNCHD_MANAGED', `runtime "${rt.runtime}" is an always-on router runtime; an ephemeral worker needs a TUI runtime the supervisor can wake`);
  if (deps.markers.has(identity, 'stopped')) throw new IapeerError('PEER_STOPPED', stoppedReason(peer.personality, rt.runtime));
  const topic = normalizeTopic(req.topic);
  const out = deps.queue.enqueue(identity, {
    task: req.task,
    ...(topic && { topic }),
    ...(req.sendId && { sendId: req.sendId }),
    at: new Date(deps.clock.now()).toISOString(),
  });
  kick(identity);
  return { identity, ...out };
}

/**
 * One drain of one identity's queue (§7.7): nothing while its session is live (one task
 * per session) or while it is stopped or held by the service manager; else the head
 * (corrupt heads are dropped and logged) is logged as `ev=ephemeral-drain` and handed to
 * a wake as the first message of a fresh session. The item is removed only when that
 * session took it (READY with the task delivered); otherwise the next drain retries it.
 */
export function drainQueue(deps: SupervisorDeps, identity: string, wake: Wake): Promise<DrainReport | null> {
  return deps.drainLock.run(identity, async () => {
    const id = parseIdentity(identity);
    if (!id) return null;
    let head = deps.queue.peek(identity);
    while (head && 'corrupt' in head) {
      logEphemeralDrain(deps.events, { identity, seq: head.seq, depth: deps.queue.depth(identity), dropped: 'corrupt', reason: head.corrupt });
      deps.queue.remove(identity, head.seq);
      head = deps.queue.peek(identity);
    }
    if (!head) return null;
    if (deps.markers.has(identity, 'stopped') || deps.serviceManager.isManaged(id.personality)) return null;
    if (await deps.liveness.isAlive(identity)) return null;
    logEphemeralDrain(deps.events, { identity, seq: head.seq, depth: deps.queue.depth(identity), topic: head.item.topic });
    const result = await wake({ personality: id.personality, runtime: id.runtime, topic: head.item.topic, task: head.item.task, origin: 'ephemeral-drain' });
    if (result.status === 'READY' && result.taskDelivered) deps.queue.remove(identity, head.seq);
    return { identity, seq: head.seq, result };
  });
}

/** Every non-empty queue once (the tick's last step); a failing drain never stops the others. */
export async function drainAllQueues(deps: SupervisorDeps, wake: Wake, onError: (identity: string, err: unknown) => void = () => undefined): Promise<DrainReport[]> {
  const reports = await mapLimit(deps.queue.identities(), DRAIN_CONCURRENCY, async (identity) => {
    try {
      return await drainQueue(deps, identity, wake);
    } catch (err) {
      onError(identity, err);
      return null;
    }
  });
  return reports.filter((r): r is DrainReport => r !== null);
}

/**
 * `arm` (§7.7): `.ephemeral-armed` for an identity whose work is done: the router arms an
 * ephemeral caller after its message was delivered (`outbound`), an agent arms itself
 * with `iapeer self-done`. The marker is set for any registered peer (it means nothing to
 * a non-ephemeral one, and `self-done` warns); `ephemeral` says which it is.
 */
export async function armEphemeral(deps: SupervisorDeps, identity: string): Promise<{ identity: string; armed: true; ephemeral: boolean; quietSecs: number }> {
  const id = parseIdentity(identity);
  if (!id) throw new IapeerError('INVALID_INPUT', `invalid identity ${JSON.stringify(identity)}: expected <runtime>-<personality>, e.g. claude-bob`, { data: { identity } });
  const peer = await deps.directory.get(id.personality);
  if (!peer) throw new IapeerError('PEER_NOT_FOUND', `unknown peer "${id.personality}": not in the iapeer peers index`);
  deps.markers.set(identity, 'ephemeral-armed', new Date(deps.clock.now()));
  return { identity, armed: true, ephemeral: peer.wakePolicy === 'ephemeral', quietSecs: deps.config.ephemeralQuietSecs };
}
