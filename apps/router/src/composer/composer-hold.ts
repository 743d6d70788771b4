/**
 * The composer hold (§6.4, stricter than the original): a message for a session where a
 * human has text in the input row (`held`) or a dialog is on screen (`waiting`) is queued
 * on disk and pasted only once the row is free, in FIFO order per target. It is never
 * force-pasted: after the queue timeout, or when the session was replaced, it fails and
 * the sender gets a "delivery failed" notice from the foundation (./failure-notice.ts).
 *
 * Draining: one loop per target with held messages. It re-reads the screen when the
 * supervisor reports an activity change of that session (ActivityNudges) and otherwise
 * with a backoff (100 ms doubling to 2 s), never spinning. Every look-and-paste runs under
 * the target's send lock, so a new send cannot slip between the check and the paste, and
 * while anything is held for a target a new send queues behind it (FIFO).
 */
import { randomBytes } from 'node:crypto';
import { IapeerError, errorMessage, parseIdentity, type KeyedSerializer } from '@iapeer/core';
import type { EventLog } from '@iapeer/logclient';
import type { Clock, DeliveryTarget, TerminalPort } from '../ports';
import type { ComposerItem, ComposerQueue, HoldReason } from './composer-queue';

/** Wakes a drain loop early when the supervisor sees the session's state change. */
export interface ActivityNudges {
  /** Resolves when `identity` reads something other than held/waiting, or after `ms`, or on abort. */
  wait(identity: string, ms: number, signal: AbortSignal): Promise<void>;
}

export type HoldFailure = 'timeout' | 'replaced' | 'not-confirmed' | 'interrupted';

export type QueuedOutcome =
  | { status: 'delivered'; delivered_to: { personality: string; runtime: string } }
  | { status: 'failed'; reason: string }
  | { status: 'pending'; depth: number }
  | { status: 'unknown' };

export interface ComposerHoldDeps {
  queue: ComposerQueue;
  terminal: TerminalPort;
  targets: KeyedSerializer;
  clock: Clock;
  events: Pick<EventLog, 'emit'>;
  /** IAPEER_COMPOSER_QUEUE_TIMEOUT_MS. */
  timeoutMs: number;
  nudges?: ActivityNudges;
  /** Called after a held message failed (outside every lock): tells the sender. */
  onFailed?(item: ComposerItem, failure: HoldFailure, detail: string): Promise<void>;
  /** Backoff bounds of the screen re-read, ms. @default {min:100,max:2000} */
  poll?: { min: number; max: number };
}

/** What a send was held for: the hold reason and the words the sender reads. */
export interface HoldDecision {
  because: HoldReason;
  why: string;
}

const OUTCOMES_KEPT = 1000;

export class ComposerHold {
  private readonly loops = new Map<string, Promise<void>>();
  private readonly outcomes = new Map<string, QueuedOutcome>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly abort = new AbortController();

  constructor(private readonly deps: ComposerHoldDeps) {}

  /**
   * Whether a paste into `dest` must wait. Call under the target's send lock. A screen
   * that cannot be read does not hold (the verified delivery still refuses to claim what
   * it cannot confirm).
   */
  async decide(dest: DeliveryTarget): Promise<HoldDecision | null> {
    const ahead = this.deps.queue.head(dest.identity);
    if (ahead) return { because: ahead.because, why: 'earlier messages for it are still held' };
    if (!this.deps.terminal.screenState) return null;
    const seen = await this.deps.terminal.screenState(dest).catch(() => null);
    if (seen?.state === 'held' || seen?.state === 'waiting') return { because: seen.state, why: seen.why };
    return null;
  }

  /** A keyed send already held (a retry): never queued twice. */
  heldSend(identity: string, sendId: string): { item: ComposerItem; depth: number } | null {
    const items = this.deps.queue.items(identity);
    const item = items.find((i) => i.sendId === sendId);
    return item ? { item, depth: items.length } : null;
  }

  /** Puts a message on disk (call under the target's send lock) and starts its drain. */
  async hold(dest: DeliveryTarget, msg: { envelope: string; sender: string; kind: ComposerItem['kind']; topic?: string; sendId?: string }, d: HoldDecision): Promise<{ item: ComposerItem; depth: number }> {
    const token = this.deps.terminal.sessionToken ? await this.deps.terminal.sessionToken(dest).catch(() => null) : null;
    const item: ComposerItem = {
      id: msg.sendId ?? randomBytes(8).toString('hex'),
      ...(msg.sendId && { sendId: msg.sendId }),
      target: dest,
      envelope: msg.envelope,
      sender: msg.sender,
      kind: msg.kind,
      ...(msg.topic && { topic: msg.topic }),
      at: this.deps.clock.now(),
      token,
      because: d.because,
    };
    let queued: { depth: number; duplicate: boolean };
    try {
      queued = this.deps.queue.enqueue(item);
    } catch (err) {
      throw new IapeerError('COMPOSER_QUEUE_FAILED', `the message for ${dest.identity} could not be held in ${this.deps.queue.dir}/${dest.identity}: ${errorMessage(err)}; message NOT queued — retry the send`, {
        cause: err,
        data: { identity: dest.identity },
      });
    }
    const { depth, duplicate } = queued;
    const kept = duplicate ? this.heldSend(dest.identity, msg.sendId!)!.item : item;
    this.kick(dest.identity);
    return { item: kept, depth };
  }

  /** Drains every target with held messages (after a restart). */
  resume(): void {
    for (const identity of this.deps.queue.identities()) this.kick(identity);
  }

  /** Starts the drain loop of one target unless it runs. */
  kick(identity: string): void {
    if (this.loops.has(identity) || this.abort.signal.aborted) return;
    const loop = this.drain(identity)
      .catch(() => undefined)
      .finally(() => {
        this.loops.delete(identity);
        // an item added while the loop was ending is not left behind
        if (this.deps.queue.depth(identity) > 0 && !this.abort.signal.aborted) this.kick(identity);
      });
    this.loops.set(identity, loop);
  }

  /** The outcome of one held message, waiting up to `ms` for it to be decided. */
  async awaitOutcome(id: string, ms: number): Promise<QueuedOutcome> {
    const deadline = Date.now() + ms;
    for (;;) {
      const known = this.outcomes.get(id);
      if (known) return known;
      const item = this.deps.queue.find(id);
      if (!item) return { status: 'unknown' };
      const left = deadline - Date.now();
      if (left <= 0 || this.abort.signal.aborted) return { status: 'pending', depth: this.deps.queue.depth(item.target.identity) };
      await new Promise<void>((resolve) => {
        const set = this.waiters.get(id) ?? new Set();
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        set.add(done);
        this.waiters.set(id, set);
      });
    }
  }

  /** Stops draining (held messages stay on disk for the next start) and releases waiters. */
  async stop(): Promise<void> {
    this.abort.abort();
    for (const set of this.waiters.values()) for (const w of [...set]) w();
    await Promise.all([...this.loops.values()]);
  }

  private async drain(identity: string): Promise<void> {
    const personality = parseIdentity(identity)?.personality;
    if (!personality) return;
    const { min, max } = this.deps.poll ?? { min: 100, max: 2000 };
    let backoff = min;
    while (!this.abort.signal.aborted) {
      const failed: { item: ComposerItem; failure: HoldFailure; detail: string }[] = [];
      const step = await this.deps.targets.run(personality, () => this.step(identity, failed));
      for (const f of failed) await this.deps.onFailed?.(f.item, f.failure, f.detail).catch(() => undefined);
      if (step.kind === 'empty') return;
      if (step.kind !== 'hold') {
        backoff = min;
        continue;
      }
      const wait = Math.max(1, Math.min(backoff, step.timeLeft));
      if (this.deps.nudges) {
        // a nudge cuts the wait short, but not below the shortest poll: a reading that flaps
        // (a redraw mid-keystroke) cannot turn the loop into a busy one
        const started = Date.now();
        await this.deps.nudges.wait(identity, wait, this.abort.signal).catch(() => sleep(wait, this.abort.signal));
        const floor = Math.min(wait, min) - (Date.now() - started);
        if (floor > 0) await sleep(floor, this.abort.signal);
      } else await sleep(wait, this.abort.signal);
      backoff = Math.min(backoff * 2, max);
    }
  }

  /** One look at the head of the queue: it lands, fails, or keeps waiting. */
  private async step(identity: string, failed: { item: ComposerItem; failure: HoldFailure; detail: string }[]): Promise<{ kind: 'empty' | 'progress' } | { kind: 'hold'; timeLeft: number }> {
    const item = this.deps.queue.head(identity);
    if (!item) return { kind: 'empty' };
    const fail = (failure: HoldFailure, detail: string) => {
      this.deps.queue.remove(item);
      this.settle(item, { status: 'failed', reason: detail });
      this.log(item, { ev: 'composer-queue-failed', reason: failure, err: detail });
      failed.push({ item, failure, detail });
      return { kind: 'progress' as const };
    };
    const { terminal, clock, timeoutMs } = this.deps;
    const dest = item.target;
    if (item.attempted) {
      // the router stopped between the mark and the removal: the paste may have landed
      const landed = item.sendId && terminal.landed ? await terminal.landed(dest, item.sendId).catch(() => null) : null;
      if (landed === true) return this.landed(item);
      return fail('interrupted', `the router stopped while pasting it into ${dest.identity}; it may or may not have landed, and it is not pasted again`);
    }
    const token = terminal.sessionToken ? await terminal.sessionToken(dest).catch(() => undefined) : undefined;
    if (token === null || (token !== undefined && item.token !== null && token !== item.token)) {
      return fail('replaced', token === null ? `the session ${dest.identity} ended before it could land` : `the session ${dest.identity} was replaced before it could land`);
    }
    const timeLeft = item.at + timeoutMs - clock.now();
    if (timeLeft <= 0) {
      const what = item.because === 'waiting' ? 'a dialog stayed on screen' : 'a human kept text in the input row';
      return fail('timeout', `${what} of ${dest.identity} for ${Math.round(timeoutMs / 1000)} s (IAPEER_COMPOSER_QUEUE_TIMEOUT_MS); it was not pasted over it`);
    }
    const seen = terminal.screenState ? await terminal.screenState(dest).catch(() => null) : null;
    if (seen?.state === 'held' || seen?.state === 'waiting') return { kind: 'hold', timeLeft };
    this.deps.queue.update({ ...item, attempted: true });
    let outcome;
    try {
      outcome = await terminal.deliver(dest, item.envelope);
    } catch (err) {
      outcome = { ok: false as const, reason: errorMessage(err) };
    }
    if (outcome.ok) return this.landed(item);
    return fail(outcome.notLive ? 'replaced' : 'not-confirmed', outcome.notLive ? `the session ${dest.identity} ended before it could land` : outcome.reason);
  }

  private landed(item: ComposerItem): { kind: 'progress' } {
    this.deps.queue.remove(item);
    this.settle(item, { status: 'delivered', delivered_to: { personality: item.target.personality, runtime: item.target.runtime } });
    this.log(item, { ev: 'composer-queue-landed', ok: true, waited_ms: this.deps.clock.now() - item.at });
    return { kind: 'progress' };
  }

  private log(item: ComposerItem, fields: Record<string, string | number | boolean | undefined>): void {
    const { ev, ...rest } = fields;
    this.deps.events.emit('delivery', {
      ev: ev as string,
      caller: item.sender,
      to: item.target.personality,
      via: item.target.identity,
      id: item.id,
      ok: rest.ok === true,
      ...rest,
      qkind: 'composer',
      notice: item.kind === 'notice' ? true : undefined,
    });
  }

  private settle(item: ComposerItem, outcome: QueuedOutcome): void {
    this.outcomes.set(item.id, outcome);
    if (this.outcomes.size > OUTCOMES_KEPT) this.outcomes.delete(this.outcomes.keys().next().value!);
    for (const w of [...(this.waiters.get(item.id) ?? [])]) w();
    this.waiters.delete(item.id);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
