import type { EventFields, EventLogName } from './event-log';

/** One event waiting to be formatted; `count` > 1 once repeats were folded into it. */
export interface PendingEvent {
  log: EventLogName;
  ts: number;
  fields: EventFields;
  count: number;
  /** Handed to the sender (formatted): no more repeats can be folded in. */
  sent: boolean;
}

/** Same keys, same values, same order of keys is not required. */
export function sameFields(a: EventFields, b: EventFields): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _k in b) n--;
  return n === 0;
}

interface Run {
  fields: EventFields;
  startedAt: number;
  entry: PendingEvent;
  /** A repeat entry kept back until the run ends (its first line was already sent). */
  held: boolean;
}

/**
 * Storm protection: identical events on one log within `windowMs` fold into one line
 * with `repeated=N`. While the first line is still queued, repeats just bump its count
 * (a tight loop yields one line). Once it was sent, later repeats collect in one held
 * line released when the run ends: a different event, the window passing, or a flush.
 */
export class StormCompactor {
  private readonly runs = new Map<EventLogName, Run>();

  constructor(private readonly windowMs: number) {}

  /** Returns the events to queue, in order (0, 1 or 2 of them). */
  add(log: EventLogName, fields: EventFields, now: number): PendingEvent[] {
    const run = this.runs.get(log);
    if (run && now - run.startedAt < this.windowMs && sameFields(run.fields, fields)) {
      if (!run.entry.sent) {
        run.entry.count++;
        return [];
      }
      run.entry = { log, ts: now, fields: run.fields, count: 1, sent: false };
      run.held = true;
      return [];
    }
    const out = run?.held ? [run.entry] : [];
    const entry: PendingEvent = { log, ts: now, fields: { ...fields }, count: 1, sent: false };
    this.runs.set(log, { fields: entry.fields, startedAt: now, entry, held: false });
    out.push(entry);
    return out;
  }

  /** Held lines whose window passed (or all of them with `all`), in log order; their runs end. */
  release(now: number, all = false): PendingEvent[] {
    const out: PendingEvent[] = [];
    for (const [log, run] of this.runs) {
      if (!all && now - run.startedAt < this.windowMs) continue;
      if (run.held) out.push(run.entry);
      this.runs.delete(log);
    }
    return out;
  }

  hasHeld(): boolean {
    for (const run of this.runs.values()) if (run.held) return true;
    return false;
  }
}
