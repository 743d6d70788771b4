/**
 * Idempotent sends: a retry with the same (caller, key) within the TTL returns the
 * first successful result and never delivers twice, also across a router restart
 * (successful results are persisted before they are returned). A second call with
 * the key while the first runs waits for it; if the first fails, nothing is stored
 * and the waiter runs the send itself (a failure means "not delivered": retry).
 *
 * Known window: a router killed between a confirmed delivery and the fsync of its
 * record forgets it, and a retry delivers again (at-least-once in that instant).
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

/** Where entries survive a restart (a file under state/iapeer in production). */
export interface IdempotencyPersistence {
  load(): IdempotencyEntry[];
  save(entries: IdempotencyEntry[]): void;
}

export interface IdempotencyStore {
  once(callerIdentity: string, req: SendRequest, send: () => Promise<RouteResult>): Promise<{ result: RouteResult; replayed: boolean }>;
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
  for (const e of persistence.load()) done.set(e.k, e);
  const inflight = new Map<string, { fp: string; settled: Promise<unknown> }>();

  const fresh = (e: IdempotencyEntry) => clock.now() - e.at < ttlMs;
  const reused = (key: string) =>
    new IapeerError(
      'IDEMPOTENCY_KEY_REUSED',
      `idempotency key ${JSON.stringify(key)} was already used within the last ${Math.round(ttlMs / 60000)} minutes for a different send; use a new key for a new message — message NOT delivered`,
      { data: { key } },
    );

  const persist = () => {
    for (const [k, e] of done) if (!fresh(e)) done.delete(k);
    try {
      persistence.save([...done.values()]);
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
      const attempt = send();
      const settled = attempt.then(
        () => undefined,
        () => undefined,
      );
      inflight.set(k, { fp, settled });
      try {
        const result = await attempt;
        done.set(k, { k, fp, at: clock.now(), result });
        persist();
        return { result, replayed: false };
      } finally {
        inflight.delete(k);
      }
    },
  };
}
