/**
 * The port every service uses to emit decision events to logd (docs/behaviour.md §6.6, §7.9).
 * Implemented in this lib by `createEventLog`; it never throws into the caller,
 * batches, buffers (bounded) while logd is down, and flushes in order when it is back.
 */
export type EventLogName = 'lifecycle' | 'delivery' | 'exits';

/** Field order is kept: logfmt writes `ts=` first, then the fields as given. */
export type EventFields = Record<string, string | number | boolean | undefined | null>;

export interface EventLog {
  emit(log: EventLogName, fields: EventFields): void;
  /** Resolves when everything emitted so far reached logd (or the buffer gave up). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
