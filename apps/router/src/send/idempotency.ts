/**
 * Idempotent sends: a retry with the same (caller, key) within the TTL returns the
 * first successful result and never delivers twice, also across a router restart
 * (successful results are persisted before they are returned). A second call with
 * the key while the first runs waits for it; if the first fails, nothing is stored
 * and the waiter runs the send itself (a failure means "not delivered": retry).
 *
 * Unknown outcomes: right before a keyed send touches a terminal or asks for a wake,
 * a `pending` record is persisted (a refusal before that writes nothing). A retry that finds one (the router was killed
 * mid-delivery, or an attempt failed after the wake it asked for may have delivered)
 * runs with `uncertain: true`: routeSend first looks for the send's id in the target's
 * transcript and does not deliver a message that already landed. Found by the chaos
 * suite (apps/e2e/src/chaos.spec.ts): without it, a router SIGKILL during a delivery
 * turned most in-flight sends into duplicates on retry.
 */
import { createHash } from 'node:crypto';
import { IapeerError } from '@iapeer/core';
import type { Clock } from '../ports';
import type { RouteResult } from './route-send';
import type { SendRequest } from './validate-send';

/** 10 minutes (issue 7). */
export const IDEMPOTENCY_TTL_MS = 10 * 60 * 1000;

export interface IdempotencyEntry {
  /** `<caller identity>\n<key>` */
  k: string;
  /** sha256 of the request's routing fields: the same key must mean the same send. */
  fp: string;
  /** Epoch ms when the send succeeded. */
  at: number;
  result: RouteResult;
}

/** A keyed send that started (it may have landed) and has not succeeded yet. */
export interface PendingEntry {
  k: string;
  fp: string;
  /** Epoch ms of the first attempt. */
  at: number;
  pending: true;
}

export type IdempotencyRecord = IdempotencyEntry | PendingEntry;
export const isPending = (r: IdempotencyRecord): r is PendingEntry => 'pending' in r && r.pending === true;

/** Where entries survive a restart (a file under state/iapeer in production). */
export interface IdempotencyPersistence {
  load(): IdempotencyRecord[];
  save(records: IdempotencyRecord[]): void;
}

/** What the send callback is told about earlier attempts with its key. */
export interface SendAttempt {
  /** The send's id, stable across retries: carried in the envelope, searched for in transcripts. */
  id: string;
  /** An earlier attempt started and did not end ok: the message may already be there. */
  uncertain: boolean;
  /**
   * Called right before the first side effect (a paste, a wake): persists the pending
   * record. A send refused before that leaves no trace on disk.
   */
  starting(): void;
}

export interface IdempotencyStore {
  once(callerIdentity: string, req: SendRequest, send: (attempt?: SendAttempt) => Promise<RouteResult>): Promise<{ result: RouteResult; replayed: boolean }>;
}

/** 16 hex chars of sha256(caller, key): unique per keyed send, and nothing in it is secret. */
export function sendIdOf(callerIdentity: string, key: string): string {
  return createHash('sha256').update(`${callerIdentity}\n${key}`).digest('hex').slice(0, 16);
}

export function fingerprintSend(req: SendRequest): string {
  const fields = [req.personality, req.runtime ?? null, req.message, req.topic ?? null, req.attachments ?? null];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export function createIdempotencyStore({
  persistence,
  clock,
  ttlMs = IDEMPOTENCY_TTL_MS,
  onPersistError = () => undefined,
}: {
  persistence: IdempotencyPersistence;
  clock: Clock;
  ttlMs?: number;
  /** A failed save keeps the entry in memory (this process still dedupes) and reports here. */
  onPersistError?: (err: unknown) => void;
}): IdempotencyStore {
  const done = new Map<string, IdempotencyEntry>();
  const pending = new Map<string, PendingEntry>();
  for (const e of persistence.load()) {
    if (isPending(e)) pending.set(e.k, e);
    else done.set(e.k, e);
  }
  const inflight = new Map<string, { fp: string; settled: Promise<unknown> }>();

  const fresh = (e: IdempotencyRecord) => clock.now() - e.at < ttlMs;
  const reused = (key: string) =>
    new IapeerError(
      'IDEMPOTENCY_KEY_REUSED',
      `idempotency key ${JSON.stringify(key)} was already used within the last ${Math.round(ttlMs / 60000)} minutes for a different send; use a new key for a new message — message NOT delivered`,
      { data: { key } },
    );

  const persist = () => {
    for (const [k, e] of done) if (!fresh(e)) done.delete(k);
    for (const [k, e] of pending) if (!fresh(e)) pending.delete(k);
    try {
      persistence.save([...done.values(), ...pending.values()]);
    } catch (err) {
      // the message already landed: failing the send now would invite a duplicate retry
      onPersistError(err);
    }
  };

  return {
    async once(callerIdentity, req, send) {
      const key = req.idempotencyKey;
      if (key === undefined) return { result: await send(), replayed: false };
      const k = `${callerIdentity}\n${key}`;
      const fp = fingerprintSend(req);
      for (;;) {
        const prior = done.get(k);
        if (prior && fresh(prior)) {
          if (prior.fp !== fp) throw reused(key);
          return { result: prior.result, replayed: true };
        }
        const running = inflight.get(k);
        if (!running) break;
        if (running.fp !== fp) throw reused(key);
        await running.settled;
      }
      const before = pending.get(k);
      const uncertain = before !== undefined && before.fp === fp && fresh(before);
      let marked = uncertain;
      const starting = () => {
        if (marked) return;
        marked = true;
        // on disk before the side effect: a crash from here on leaves the retry uncertain
        pending.set(k, { k, fp, at: clock.now(), pending: true });
        persist();
      };
      const attempt = send({ id: sendIdOf(callerIdentity, key), uncertain, starting });
      const settled = attempt.then(
        () => undefined,
        () => undefined,
      );
      inflight.set(k, { fp, settled });
      try {
        const result = await attempt;
        done.set(k, { k, fp, at: clock.now(), result });
        pending.delete(k);
        persist();
        return { result, replayed: false };
      } finally {
        inflight.delete(k);
      }
    },
  };
}
