import type { EventLog } from './ports';

/**
 * The lifecycle.log lines of the supervisor, in §7.9's field order (logd writes `ts=`
 * first, then the fields as given, skipping undefined). Keeping them here keeps them greppable.
 */
export type WakeLogMode = 'fresh' | 'resume' | 'fail' | 'refused' | 'live';

export interface WakeLogFields {
  personality: string;
  identity?: string;
  runtime?: string;
  mode: WakeLogMode;
  cause: string;
  ref?: string;
  reason?: string;
  /** What asked for the wake (send, attach, folder-launch, new, eager-relaunch). */
  origin?: string;
  /** ready / failed, on the line that reports the launch's result. */
  outcome?: string;
}

export function logWake(events: EventLog, f: WakeLogFields): void {
  events.emit('lifecycle', {
    ev: 'wake',
    personality: f.personality,
    identity: f.identity,
    runtime: f.runtime,
    mode: f.mode,
    cause: f.cause,
    ref: f.ref,
    reason: f.reason,
    origin: f.origin,
    outcome: f.outcome,
  });
}

export type SuperviseAction =
  | 'reaped-idle'
  | 'reaped-gone'
  | 'reaped-ephemeral'
  | 'skipped-launchd'
  | 'skipped-stopped'
  | 'skipped-error'
  | 'alive'
  | 'needs-eager-fresh'
  | 'readopted'
  | 'stop-completed'
  | 'reap-completed'
  | 'park-cleared'
  | 'skipped-attached';

export interface SuperviseLogFields {
  identity: string;
  action: SuperviseAction;
  reason?: string;
  death?: string;
  /** Idle age in whole seconds: now − max(activity, wokeAt) (§7.6). */
  age?: number;
  outcome?: string;
}

/** `age` is written with its unit, `age=4230s` (§7.9), as the original's lines read. */
export function logSupervise(events: EventLog, f: SuperviseLogFields): void {
  const age = f.age === undefined ? undefined : `${f.age}s`;
  events.emit('lifecycle', { ev: 'supervise', identity: f.identity, action: f.action, reason: f.reason, death: f.death, age, outcome: f.outcome });
}

/**
 * §7.7 `ev=ephemeral-drain`: a queue head is handed to a wake (`seq`, the queue's `depth`
 * then, the item's `topic`), or a corrupt head is dropped (`dropped=corrupt`, `reason`).
 */
export function logEphemeralDrain(events: EventLog, f: { identity: string; seq: string; depth: number; topic?: string; dropped?: 'corrupt'; reason?: string }): void {
  events.emit('lifecycle', { ev: 'ephemeral-drain', identity: f.identity, seq: f.seq, depth: f.depth, topic: f.topic, dropped: f.dropped, reason: f.reason });
}

export function logTopicNote(events: EventLog, identity: string, topic: string): void {
  events.emit('lifecycle', { ev: 'topic-note', identity, topic });
}

/** `iapeer attach` brackets a human's terminal session: `ev=attach` … `ev=attach-end` (§7.9). */
export function logAttach(events: EventLog, identity: string, phase: 'start' | 'end', fields: { origin?: string; code?: number } = {}): void {
  events.emit('lifecycle', { ev: phase === 'start' ? 'attach' : 'attach-end', identity, origin: fields.origin, code: fields.code });
}
