/**
 * Exponential backoff: the n-th delay (0-based) is `startMs * factor^n`, capped at
 * `capMs`. One policy shape for every retry loop (rpc reconnects, log shipping to
 * logd, the keeper's restarts), so they are tuned and tested in one place.
 */
export interface BackoffPolicy {
  /** The first delay. */
  startMs: number;
  /** No delay is longer than this. */
  capMs: number;
  /** Growth per attempt. @default 2 */
  factor?: number;
}

/** The delay before retry number `attempt` (0-based). */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  if (policy.startMs <= 0) return 0;
  const n = Math.max(0, Math.floor(attempt));
  // a huge attempt number gives factor^n = Infinity, which the cap absorbs
  return Math.min(policy.startMs * (policy.factor ?? 2) ** n, policy.capMs);
}

/** A retry loop's backoff state: `next()` gives the delay to wait now, `reset()` after a success. */
export interface Backoff {
  next(): number;
  reset(): void;
}

export function createBackoff(policy: BackoffPolicy): Backoff {
  let attempt = 0;
  return {
    next: () => backoffDelay(policy, attempt++),
    reset: () => {
      attempt = 0;
    },
  };
}
