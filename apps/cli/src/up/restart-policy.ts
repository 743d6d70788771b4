import { backoffDelay } from '@iapeer/core';

/**
 * Restart intensity (as OTP supervisors do it): at most `maxRestarts` restarts of one
 * service within `windowMs`; past that the service is left down and the keeper says so,
 * so a crash loop stops instead of spinning.
 */
export interface RestartPolicy {
  maxRestarts: number;
  windowMs: number;
  /** Delay before the n-th consecutive restart (0-based). */
  backoffMs(n: number): number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxRestarts: 5,
  windowMs: 60_000,
  backoffMs: (n) => backoffDelay({ startMs: 100, capMs: 2000 }, n),
};

export type RestartDecision = { kind: 'restart'; delayMs: number; attempt: number } | { kind: 'give-up'; restarts: number; windowMs: number };

/** Decides what to do after a crash, given the times of this service's earlier restarts. */
export function decideRestart(policy: RestartPolicy, restartTimes: readonly number[], now: number): RestartDecision {
  const recent = restartTimes.filter((t) => now - t < policy.windowMs);
  if (recent.length >= policy.maxRestarts) return { kind: 'give-up', restarts: recent.length, windowMs: policy.windowMs };
  return { kind: 'restart', delayMs: policy.backoffMs(recent.length), attempt: recent.length + 1 };
}
