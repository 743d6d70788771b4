/**
 * `routeSend(caller, input, deps)`: docs/behaviour.md §6.2 step by step. Every refusal
 * throws before any side effect (no wake, no paste, no file); `ok` is returned only
 * after the terminal port confirmed the message landed.
 */
import type { SendResult } from '@iapeer/contracts';
import { parseIdentity, type ErrorCode, type KeyedSerializer } from '@iapeer/core';
import type { ResolvedCaller } from '../caller/resolve-caller';
import type { DeliveryTarget, RoutedPeer, RouteDeps } from '../ports';
import type { ComposerHold, HoldDecision } from '../composer/composer-hold';
import type { SendAttempt } from './idempotency';
import { resolveTarget } from './resolve-target';
import { sendErrors } from './send-errors';
import { assertTelegramPolicy } from './telegram-guard';
import { validateSend, type SendRequest } from './validate-send';

/** §6.2 success shape: the contract's SendResult (`queued`, `queuedBy`, `queueDepth` when it was queued, §7.7). */
export type RouteResult = SendResult;

export interface RouteSendDeps extends RouteDeps {
  /** Serialises resolution + delivery/wake per target personality. */
  targets: KeyedSerializer;
  /** §6.4 composer hold; absent: a dialog on screen is refused with PEER_WAITING, held text is pasted after. */
  composer?: ComposerHold;
}

/**
 * `attempt` (keyed sends): its id goes into the envelope; when `uncertain`, a message
 * with that id already in the target's transcript is answered ok without delivering again.
 */
export async function routeSend(caller: ResolvedCaller, input: unknown, deps: RouteSendDeps, attempt?: SendAttempt): Promise<RouteResult> {
  // 1. validate, then the target must be registered (before any wake)
  const req = validateSend(input);
  const target = await deps.directory.get(req.personality);
  if (!target) throw sendErrors.unknownTarget(req.personality);
  if (req.runtime && !target.runtimes.includes(req.runtime)) throw sendErrors.runtimeNotDeclared(target.personality, req.runtime, target.runtimes);

  // 2. telegram sender guard on the intended channel
  const intended = req.runtime ?? target.default_runtime;
  assertTelegramPolicy(intended, caller.record);

  // 3. the envelope, built once: live payload and boot first-message alike
  const envelope = deps.envelope.build({
    fromPersonality: caller.personality,
    fromRuntime: caller.runtime,
    fromIntelligence: caller.record.intelligence,
    topic: req.topic,
    attachments: req.attachments,
    message: req.message,
    id: attempt?.id,
  });
  const recheck = attempt?.uncertain ? attempt.id : undefined;

  // Resolution, delivery and wake of one target run one at a time: the identity is
  // only known after resolution (no explicit runtime), so the key is the personality.
  return deps.targets.run(target.personality, async () => {
    // a retry whose first attempt may have landed (in any declared runtime: it may have woken one)
    if (recheck) for (const runtime of req.runtime ? [req.runtime] : target.runtimes) if (await landed(target, runtime, recheck, deps)) return success(target.personality, runtime, false, deps);
    // 4. an ephemeral worker takes one message per session: every message waits in its queue
    if (target.wakePolicy === 'ephemeral') return enqueueForWorker(caller, target, envelope, req, deps, attempt);
    // The hot path pays no separate tmux liveness round trip (bench/send: one tmux process
    // per send, 3–8 ms): the verified delivery checks liveness alongside its paste.
    const quick = await resolveTarget(target, req.runtime, deps.sessions, 'quick');
    if (quick.kind === 'miss') return wakeAndDeliver(caller, target, quick.runtime, envelope, req, deps, attempt);
    // A live session is no proof that the earlier attempt's wake is over: a router killed
    // mid-wake leaves the supervisor bringing the session up, and it pastes the envelope as
    // the first message once the agent takes input. A live paste now would land beside it
    // (found by the chaos suite under load). The supervisor's per-identity wake lock waits
    // for a wake in flight and then answers the live fast path; deliverLive looks again.
    if (recheck && deps.supervisor) return wakeAndDeliver(caller, target, quick.runtime, envelope, req, deps, attempt, true);
    const delivered = await deliverLive(caller, target, quick.runtime, envelope, req, deps, false, attempt);
    if (delivered !== NOT_LIVE) return delivered;
    // a stale socket, or the session ended just now: nothing was pasted; resolve exactly
    const exact = await resolveTarget(target, req.runtime, deps.sessions, 'exact');
    if (exact.kind === 'miss') return wakeAndDeliver(caller, target, exact.runtime, envelope, req, deps, attempt);
    return landedOrThrow(await deliverLive(caller, target, exact.runtime, envelope, req, deps, false, attempt), target.personality);
  });
}

/** deliverLive found no live session (nothing pasted): the caller may fall back to a wake. */
const NOT_LIVE = Symbol('not-live');
type LiveDelivery = RouteResult | typeof NOT_LIVE;

function landedOrThrow(r: LiveDelivery, personality: string): RouteResult {
  if (r === NOT_LIVE) throw sendErrors.notDelivered(personality, `peer "${personality}" has no live session any more; message NOT delivered — retry the send`);
  return r;
}

/** `landed`, polled for a moment: a transcript is written right after the submit, not with it. */
async function landedSoon(target: RoutedPeer, runtime: string, id: string, deps: RouteSendDeps, graceMs = 2000): Promise<boolean> {
  const deadline = deps.clock.now() + graceMs;
  for (;;) {
    if (await landed(target, runtime, id, deps)) return true;
    if (deps.clock.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True only when the runtime's transcript shows the send's id; unknown counts as not landed. */
async function landed(target: RoutedPeer, runtime: string, id: string, deps: RouteSendDeps): Promise<boolean> {
  if (!deps.terminal.landed) return false;
  const dest: DeliveryTarget = { personality: target.personality, runtime, identity: `${runtime}-${target.personality}`, cwd: target.cwd };
  return (await deps.terminal.landed(dest, id)) === true;
}

// 5. hit: self check, telegram guard again, verified delivery, topic note
async function deliverLive(
  caller: ResolvedCaller,
  target: RoutedPeer,
  runtime: string,
  envelope: string,
  req: SendRequest,
  deps: RouteSendDeps,
  woke: boolean,
  attempt?: SendAttempt,
): Promise<LiveDelivery> {
  const recheck = attempt?.uncertain ? attempt.id : undefined;
  const identity = `${runtime}-${target.personality}`;
  if (identity === caller.identity) throw sendErrors.self();
  assertTelegramPolicy(runtime, caller.record);
  const dest: DeliveryTarget = { personality: target.personality, runtime, identity, cwd: target.cwd };
  if (recheck) {
    // again right before the paste: a wake cut off earlier may have delivered it meanwhile
    if (await landed(target, runtime, recheck, deps)) return success(target.personality, runtime, woke, deps);
    // an earlier attempt cut off between paste and Enter left its paste in the input area:
    // submit that first (pasting after it would send both as one message), then look again
    if (deps.terminal.submitLeftover && (await deps.terminal.submitLeftover(dest)) && (await landedSoon(target, runtime, recheck, deps))) {
      return success(target.personality, runtime, woke, deps);
    }
  }
  if (deps.composer) {
    const held = await holdIfNeeded(caller, dest, envelope, req, deps.composer, deps, attempt);
    if (held) return held;
  } else await pasteGate(dest, deps);
  attempt?.starting();
  const outcome = await deps.terminal.deliver(dest, envelope);
  if (!outcome.ok && outcome.notLive) return NOT_LIVE;
  if (!outcome.ok) throw sendErrors.notDelivered(target.personality, outcome.reason);
  if (req.topic?.trim() && deps.supervisor) {
    // best-effort bookkeeping for the next wake's fresh/resume choice; the message already landed
    deps.supervisor.noteTopic({ identity, topic: req.topic.trim() }).catch(() => undefined);
  }
  return success(target.personality, runtime, woke, deps);
}

/**
 * Dialogs are not input (§6.4), for a router without a composer hold (bare deps in unit
 * tests): a session showing a dialog is refused with PEER_WAITING and nothing is pasted.
 * With the hold (production), holdIfNeeded queues such a send instead. A screen that
 * cannot be read does not block a delivery: the verified delivery still refuses to claim
 * what it cannot confirm.
 */
async function pasteGate(dest: DeliveryTarget, deps: RouteSendDeps): Promise<void> {
  if (!deps.terminal.screenState) return;
  const seen = await deps.terminal.screenState(dest).catch(() => null);
  if (seen?.state === 'waiting') throw sendErrors.waiting(dest.personality, dest.runtime, seen.why);
}

/**
 * §6.4 composer hold: a human typing in the input row, a dialog on screen, or messages
 * already held for this target (FIFO) queue the send on disk instead of pasting it. A
 * keyed retry of a send already held is answered from the queue, never queued twice.
 */
async function holdIfNeeded(
  caller: ResolvedCaller,
  dest: DeliveryTarget,
  envelope: string,
  req: SendRequest,
  composer: ComposerHold,
  deps: RouteSendDeps,
  attempt?: SendAttempt,
): Promise<RouteResult | null> {
  const again = attempt ? composer.heldSend(dest.identity, attempt.id) : null;
  if (again) return queuedResult(dest, again.item.id, again.depth, { because: again.item.because, why: 'already held' }, deps);
  const d = await composer.decide(dest);
  if (!d) return null;
  attempt?.starting();
  const { item, depth } = await composer.hold(dest, { envelope, sender: caller.identity, kind: 'send', topic: req.topic?.trim() || undefined, sendId: attempt?.id }, d);
  return queuedResult(dest, item.id, depth, d, deps);
}

/** The words a held send's answer carries: why it waits and when it lands. */
export function holdNote(d: HoldDecision): string {
  return d.because === 'waiting'
    ? `a dialog is on screen that a paste would answer (${d.why}); it lands once the dialog is answered, and is never pasted into it`
    : `a human is typing in its input row (${d.why}); it lands when the row is empty, and is never pasted over their text`;
}

function queuedResult(dest: DeliveryTarget, id: string, depth: number, d: HoldDecision, deps: RouteDeps): RouteResult {
  return { ...success(dest.personality, dest.runtime, false, deps), queued: true, queuedBy: 'composer', queueDepth: depth, queueId: id, note: holdNote(d) };
}

/** Wake refusals that come before any launch: no wake of that identity can be in flight. */
const NO_WAKE_IN_FLIGHT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['LAUNCHD_MANAGED', 'RUNTIME_UNAVAILABLE', 'PEER_STOPPED']);

// 6. miss: wake through the supervisor, then verify before acting
async function wakeAndDeliver(
  caller: ResolvedCaller,
  target: RoutedPeer,
  runtime: string | undefined,
  envelope: string,
  req: SendRequest,
  deps: RouteSendDeps,
  attempt?: SendAttempt,
  /** The session was seen live: the wake only waits for one in flight (see routeSend). */
  seenLive = false,
): Promise<RouteResult> {
  const p = target.personality;
  // refuse a self-send before it can wake anything (§12: refusals change nothing)
  if (`${runtime ?? target.default_runtime}-${p}` === caller.identity) throw sendErrors.self();
  if (!deps.supervisor) throw sendErrors.offline(p, runtime);

  attempt?.starting();
  const outcome = await deps.supervisor.wake({ personality: p, runtime, topic: req.topic, task: envelope });
  // a peer the supervisor never launches (a router runtime, a service-managed or stopped peer)
  // has no wake in flight: its live session takes the paste, as a first attempt's would
  if (outcome.status === 'FAILED' && seenLive && runtime && NO_WAKE_IN_FLIGHT.has(outcome.code)) {
    return landedOrThrow(await deliverLive(caller, target, runtime, envelope, req, deps, false, attempt), p);
  }
  if (outcome.status === 'FAILED') throw outcome.stopped ? sendErrors.stopped(outcome.reason, p) : sendErrors.wakeFailed(p, outcome.code, outcome.reason);

  const woken = parseIdentity(outcome.identity);
  if (!woken || woken.personality !== p || !(await deps.sessions.isLive(outcome.identity))) throw sendErrors.notVerified(p, outcome.identity);
  assertTelegramPolicy(woken.runtime, caller.record);
  // live fast path: the session was (or became) live without carrying our task
  if (!outcome.taskDelivered) return landedOrThrow(await deliverLive(caller, target, woken.runtime, envelope, req, deps, false, attempt), p);
  return success(p, woken.runtime, true, deps);
}

/**
 * §6.2 step 4 / §7.7: the message goes to the worker's FIFO (the explicit runtime's
 * identity, else the default's), on disk before the answer; the supervisor hands it to a
 * fresh session when the worker is free. A self-send is refused before anything is queued.
 */
async function enqueueForWorker(
  caller: ResolvedCaller,
  target: RoutedPeer,
  envelope: string,
  req: SendRequest,
  deps: RouteSendDeps,
  attempt?: SendAttempt,
): Promise<RouteResult> {
  const p = target.personality;
  const runtime = req.runtime ?? target.default_runtime;
  if (`${runtime}-${p}` === caller.identity) throw sendErrors.self();
  if (!deps.supervisor) throw sendErrors.offline(p, runtime);
  attempt?.starting();
  const q = await deps.supervisor.enqueue({ personality: p, runtime, task: envelope, topic: req.topic, sendId: attempt?.id });
  return { ...success(p, runtime, false, deps), queued: true, queuedBy: 'ephemeral', queueDepth: q.depth };
}

function success(personality: string, runtime: string, woke: boolean, deps: RouteDeps): RouteResult {
  return { ok: true, delivered_to: { personality, runtime }, woke, ts: new Date(deps.clock.now()).toISOString() };
}
