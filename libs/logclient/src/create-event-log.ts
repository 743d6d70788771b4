import { createLogSender, type LogSender, type LogSenderOptions } from './ship';
import type { EventFields, EventLog, EventLogName } from './event-log';
import { formatLogfmt, isoOf } from './logfmt';
import { StormCompactor, type PendingEvent } from './storm';

export interface EventLogOptions extends Omit<LogSenderOptions, 'source'> {
  /** The emitting service (supervisor, router, cli…): names the producer for logd. */
  service: string;
  /** Identical events within this window fold into one `repeated=N` line. @default 1000 */
  stormWindowMs?: number;
  /** Injected clock (ms since epoch). @default Date.now */
  now?: () => number;
  /** How long `flush()`/`close()` wait for logd before giving up. @default 5000 */
  flushTimeoutMs?: number;
  /** For tests: a ready sender instead of one built from the options. */
  sender?: LogSender;
}

/** Extends the port with counters a caller may export as health. */
export interface EventLogClient extends EventLog {
  /** Lines dropped by buffer overflow so far. */
  droppedTotal(): number;
  /** Events not yet acknowledged by logd. */
  pending(): number;
}

/**
 * The EventLog port over logd. `emit` only records the event (no I/O, no formatting):
 * the logfmt line is built on the next tick and shipped in a batch. Nothing throws.
 * @example const events = createEventLog({ socketPath: paths.serviceSocket('logd'), service: 'supervisor' });
 *          events.emit('lifecycle', { ev: 'supervise', identity, action: 'reaped-idle' });
 */
export function createEventLog(opts: EventLogOptions): EventLogClient {
  const now = opts.now ?? Date.now;
  const flushTimeoutMs = opts.flushTimeoutMs ?? 5000;
  const sender = opts.sender ?? createLogSender({ ...opts, source: opts.service });
  const storm = new StormCompactor(opts.stormWindowMs ?? 1000);
  const maxPending = opts.maxBuffered ?? 20_000;
  let pending: PendingEvent[] = [];
  let scheduled = false;
  let heldTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const ship = (events: PendingEvent[]) => {
    for (const e of events) {
      e.sent = true;
      sender.push(e.log, formatLogfmt(isoOf(e.ts), e.fields, e.count > 1 ? { repeated: e.count } : undefined));
    }
  };

  const moveAll = () => {
    scheduled = false;
    try {
      const batch = pending;
      pending = [];
      ship(batch);
      ship(storm.release(now()));
      armHeldTimer();
    } catch {
      // a field that cannot be formatted must not take the caller down; the line is lost
    }
  };

  const armHeldTimer = () => {
    if (heldTimer || !storm.hasHeld()) return;
    heldTimer = setTimeout(() => {
      heldTimer = undefined;
      moveAll();
    }, opts.stormWindowMs ?? 1000);
    heldTimer.unref();
  };

  const drain = async () => {
    moveAll();
    ship(storm.release(now(), true));
    await sender.flush(flushTimeoutMs);
  };

  return {
    emit(log: EventLogName, fields: EventFields) {
      if (closed) return;
      try {
        const out = storm.add(log, fields, now());
        if (out.length === 0) {
          // a repeat folded into a held line: without this timer the line waited for the
          // next different event on the log, i.e. forever once the emitter went quiet
          // (found by the e2e test of 20 concurrent wakes: 18 live fast paths never logged)
          armHeldTimer();
          return;
        }
        for (const e of out) pending.push(e);
        if (pending.length >= maxPending) moveAll();
        else if (!scheduled) {
          scheduled = true;
          // NOT unref'd: an unref'd immediate does not stop libuv's poll phase from blocking,
          // so in a quiet service it ran only at the next I/O or timer — seconds later
          // (measured 3–8 s in the e2e tests). A ref'd immediate keeps no process alive: it
          // runs on the next loop turn and is gone.
          setImmediate(moveAll);
        }
      } catch {
        // emit never throws into the caller (a getter on `fields` could); the event is lost
      }
    },
    flush: () => drain().catch(() => undefined),
    async close() {
      if (closed) return;
      await drain().catch(() => undefined);
      closed = true;
      if (heldTimer) clearTimeout(heldTimer);
      await sender.close(0).catch(() => undefined);
    },
    droppedTotal: () => sender.droppedTotal(),
    pending: () => pending.length + sender.pending(),
  };
}
