/** Why the tick ends an ephemeral worker's live session (§7.6), as its `reason=`. */
export type EphemeralReapReason = 'ephemeral-done' | 'ephemeral-unarmed-bound';

export interface EphemeralReapInput {
  /** `.ephemeral-armed`: its reply was delivered, or it ran `self-done`. */
  armed: boolean;
  /** Idle age: now − max(activity, wokeAt). */
  ageMs: number;
  quietSecs: number;
  unarmedIdleSecs: number;
}

/**
 * The quiet reap of an ephemeral worker, a pure decision: armed and quiet longer than
 * IAPEER_EPHEMERAL_QUIET_SECS means its work is done; quiet longer than
 * IAPEER_EPHEMERAL_UNARMED_IDLE_SECS bounds one that never said so (a crashed turn, a
 * forgotten reply), so a stuck worker cannot hold its queue for the hour of the idle reap.
 * Null: it keeps running.
 */
export function ephemeralReapReason(i: EphemeralReapInput): EphemeralReapReason | null {
  if (i.armed && i.ageMs > i.quietSecs * 1000) return 'ephemeral-done';
  if (i.ageMs > i.unarmedIdleSecs * 1000) return 'ephemeral-unarmed-bound';
  return null;
}
