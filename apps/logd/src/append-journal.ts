import fs from 'node:fs';
import path from 'node:path';

/** Where one batch was about to land in one log: the log's end position before it, and its bytes. */
export type Placement = Record<string, { at: number; bytes: number }>;

/** Lines per log of a batch already in the logs, as a count (known) plus bytes (found after a crash). */
export interface Landed {
  /** Leading lines per log a retry skips (counted when the retry was planned). */
  lines: Record<string, number>;
  /** Then: bytes per log found after a crash (whole lines). */
  bytes: Record<string, number>;
}

/** What logd must do with a batch, given what it already wrote for that producer. */
export type Verdict =
  | { kind: 'new' }
  /** Every line of it is already in the logs. */
  | { kind: 'duplicate' }
  /** logd died while writing it: a retry skips what landed. */
  | { kind: 'partial'; landed: Landed };

/**
 * `begin`: written before a batch's lines (`skip` = leading lines per log that an earlier,
 * cut try already wrote, `at` = where the rest goes). `partial`: written when logd finds,
 * on open, that the last `begin` landed only in part, so the fact outlives the next records.
 */
type JournalRecord = { p: string; s: number; at: Placement; skip?: Record<string, number> } | { p: string; s: number; partial: Landed };

/** Records kept before the journal is rewritten with one record per remembered producer. */
const COMPACT_AFTER = 4096;

/**
 * The durable high-water mark of every producer's batches (exactly-once across a
 * SIGKILL of logd). Before a batch's lines are written, one JSON line
 * `{p: producer, s: seq, at: {log: {at: endBefore, bytes}}}` is appended here; logd
 * writes synchronously, one batch at a time, so only the last record can describe a
 * batch that did not land in full. On open, that record is checked against the logs'
 * end positions (which count every byte ever written, across rotation): all of it
 * there → its seq is done; some of it → a `partial` record says what landed and the
 * retry skips it; none → a retry writes it all. Positions, not text, so a batch is
 * recognised wherever it landed, a rotated file included, and whatever other
 * producers wrote after it.
 */
export class AppendJournal {
  private readonly hwm = new Map<string, number>();
  private readonly partials = new Map<string, { seq: number; landed: Landed }>();
  private fd = -1;
  private records = 0;

  constructor(
    private readonly file: string,
    private readonly maxProducers: number,
  ) {}

  /** Reads the journal; `endOf(log)` is the log's current end position (opening it if need be). */
  open(endOf: (log: string) => number): void {
    const records = readRecords(this.file);
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.records = records.length;
    for (const [i, r] of records.entries()) {
      if ('partial' in r) {
        // it follows the begin it corrects, which the loop just counted as done: undo that
        if (this.hwm.get(r.p) === r.s) this.hwm.set(r.p, r.s - 1);
        this.partials.set(r.p, { seq: r.s, landed: r.partial });
        continue;
      }
      if (i < records.length - 1) {
        this.done(r.p, r.s);
        continue;
      }
      // the last batch begun: did all, some or none of it land before logd stopped?
      const bytes: Record<string, number> = {};
      let complete = true;
      for (const [log, { at, bytes: want }] of Object.entries(r.at)) {
        bytes[log] = Math.min(Math.max(endOf(log) - at, 0), want);
        if (bytes[log] < want) complete = false;
      }
      if (complete) this.done(r.p, r.s);
      else this.markPartial(r.p, r.s, { lines: r.skip ?? {}, bytes });
    }
  }

  verdict(producer: string, seq: number): Verdict {
    const done = this.hwm.get(producer);
    if (done !== undefined && seq <= done) return { kind: 'duplicate' };
    const partial = this.partials.get(producer);
    if (partial && partial.seq === seq) return { kind: 'partial', landed: partial.landed };
    return { kind: 'new' };
  }

  /** Written before the batch's lines: the lines skipped as already there, and where the rest goes. */
  begin(producer: string, seq: number, at: Placement, skip: Record<string, number>): void {
    if (this.records >= COMPACT_AFTER) this.compact();
    this.append({ p: producer, s: seq, at, ...(Object.keys(skip).length > 0 ? { skip } : {}) });
  }

  /** After the lines were written. */
  done(producer: string, seq: number): void {
    if (this.partials.get(producer)?.seq === seq) this.partials.delete(producer);
    this.hwm.delete(producer);
    this.hwm.set(producer, seq);
    // the oldest producer is forgotten first: a retry from it after that many others is not expected
    if (this.hwm.size > this.maxProducers) this.hwm.delete(this.hwm.keys().next().value!);
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private markPartial(producer: string, seq: number, landed: Landed): void {
    const hasAny = Object.values(landed.lines).some((n) => n > 0) || Object.values(landed.bytes).some((n) => n > 0);
    if (!hasAny) return; // nothing of it landed: a retry writes it all, as a new batch
    this.partials.set(producer, { seq, landed });
    this.append({ p: producer, s: seq, partial: landed });
  }

  private append(record: JournalRecord): void {
    fs.writeSync(this.fd, JSON.stringify(record) + '\n');
    this.records++;
  }

  /** One record per remembered producer (and pending partial), written aside and renamed over. */
  private compact(): void {
    const tmp = `${this.file}.tmp`;
    const lines = [...this.hwm].map(([p, s]) => ({ p, s, at: {} }) as JournalRecord);
    for (const [p, { seq, landed }] of this.partials) lines.push({ p, s: seq, partial: landed });
    fs.writeFileSync(tmp, lines.map((r) => JSON.stringify(r) + '\n').join(''), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.close();
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.records = lines.length;
  }
}

function readRecords(file: string): JournalRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // first start
    throw err;
  }
  const out: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const r = JSON.parse(line) as JournalRecord;
      if (typeof r.p === 'string' && typeof r.s === 'number' && ((('at' in r) && typeof r.at === 'object') || ('partial' in r && typeof r.partial === 'object'))) out.push(r);
    } catch {
      // a torn last line (power loss mid-write): that batch counts as not begun
    }
  }
  return out;
}

/** How many of `lines` (each + '\n') fit whole in `bytes`. */
export function linesInBytes(lines: readonly string[], bytes: number): number {
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    used += Buffer.byteLength(lines[i]) + 1;
    if (used > bytes) return i;
  }
  return lines.length;
}
