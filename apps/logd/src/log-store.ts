import { EventEmitter } from 'node:events';
import { EVENT_LOG_NAMES, LOG_NAMES, MAX_APPEND_LINES, MAX_LOG_LINE, type AppendInput, type AppendResult, type LogName } from '@iapeer/contracts';
import { IapeerError, type IapeerConfig } from '@iapeer/core';
import { isSuperviseNonDecision, lineProblem } from './log-filter';
import { readLines } from './read-range';
import { RotatingFile, type RotationLimits } from './rotating-file';

/** Producers remembered for replay detection (oldest forgotten first). */
const MAX_PRODUCERS = 1000;

export function isEventLog(log: string): boolean {
  return (EVENT_LOG_NAMES as readonly string[]).includes(log);
}

export function limitsFor(log: LogName, config: IapeerConfig): RotationLimits {
  if (log === 'delivery') return { maxBytes: config.deliveryLogMaxBytes, keep: config.deliveryLogKeep };
  if (isEventLog(log)) return { maxBytes: config.lifecycleLogMaxBytes, keep: config.lifecycleLogKeep };
  return { maxBytes: config.serviceLogMaxBytes, keep: config.serviceLogKeep };
}

/**
 * Every log under `<root>/logs/iapeer/`, opened on first use. Appends are synchronous
 * (one write per file per batch), so lines of one producer land in the order sent and
 * a reader in this process never sees half a batch. `appended` fires after each write.
 */
export class LogStore {
  private readonly files = new Map<LogName, RotatingFile>();
  private readonly lastSeq = new Map<string, number>();
  readonly appended = new EventEmitter();

  constructor(
    private readonly dir: string,
    private readonly config: IapeerConfig,
  ) {
    this.appended.setMaxListeners(0);
  }

  file(log: string): RotatingFile {
    const name = checkLogName(log);
    let f = this.files.get(name);
    if (!f) {
      f = new RotatingFile(this.dir, name, limitsFor(name, this.config));
      f.open();
      this.files.set(name, f);
    }
    return f;
  }

  /** Writes lines from inside logd (its own pino log); no replay check. */
  appendLocal(log: LogName, lines: string[]): void {
    this.write(this.file(log), log, this.keep(log, lines));
  }

  /** The `append` procedure: validate everything first, drop replays, then write. */
  append(input: AppendInput): AppendResult {
    for (const e of input.entries) checkLogName(e.log);
    const targets = input.entries.map((e) => ({ log: e.log, lines: e.lines ?? (e.text === '' ? [] : e.text!.split('\n')), logfmt: isEventLog(e.log) }));
    if (targets.reduce((n, t) => n + t.lines.length, 0) > MAX_APPEND_LINES) {
      throw new IapeerError('INVALID_INPUT', `an append carries at most ${MAX_APPEND_LINES} lines; send smaller batches (nothing was written)`);
    }
    for (const t of targets) {
      for (const [i, line] of t.lines.entries()) {
        const problem = lineProblem(line, t.logfmt) ?? (line.length > MAX_LOG_LINE ? `is longer than ${MAX_LOG_LINE} characters` : undefined);
        if (problem) throw new IapeerError('INVALID_INPUT', `line ${i + 1} for log ${t.log} ${problem}; send one line per entry (nothing of this batch was written)`, { data: { log: t.log, index: i } });
      }
    }
    const total = targets.reduce((n, t) => n + t.lines.length, 0);
    const seen = this.lastSeq.get(input.producer);
    if (seen !== undefined && input.seq <= seen) return { written: 0, duplicate: total };
    let written = 0;
    let duplicate = 0;
    for (const t of targets) {
      const file = this.file(t.log);
      // after a logd restart a replayed batch is recognised by its lines already at the end of the log
      const lines = this.keep(t.log, t.lines);
      const skip = input.retry && seen === undefined ? overlapWithEnd(file, lines) : 0;
      written += this.write(file, t.log, skip > 0 ? lines.slice(skip) : lines);
      duplicate += skip;
    }
    this.remember(input.producer, input.seq);
    return { written, duplicate };
  }

  close(): void {
    for (const f of this.files.values()) f.close();
    this.files.clear();
  }

  private keep(log: string, lines: string[]): string[] {
    if (log !== 'lifecycle' || this.config.superviseLogVerbose) return lines;
    return lines.some(isSuperviseNonDecision) ? lines.filter((l) => !isSuperviseNonDecision(l)) : lines;
  }

  private write(file: RotatingFile, log: string, lines: string[]): number {
    if (lines.length === 0) return 0;
    file.append(lines);
    this.appended.emit('appended', log);
    return lines.length;
  }

  private remember(producer: string, seq: number): void {
    this.lastSeq.delete(producer);
    this.lastSeq.set(producer, seq);
    if (this.lastSeq.size > MAX_PRODUCERS) this.lastSeq.delete(this.lastSeq.keys().next().value!);
  }
}

export function checkLogName(log: string): LogName {
  if ((LOG_NAMES as readonly string[]).includes(log)) return log as LogName;
  throw new IapeerError('LOG_UNKNOWN', `there is no log named "${log}"; use one of ${LOG_NAMES.join(', ')}`, { data: { log } });
}

/** The largest k such that the log's last k lines are the batch's first k. */
function overlapWithEnd(file: RotatingFile, batch: string[]): number {
  let tail: string[] = [];
  for (const seg of file.segments().reverse()) {
    tail = readLines(seg.file).concat(tail);
    if (tail.length >= batch.length) break;
  }
  for (let k = Math.min(batch.length, tail.length); k > 0; k--) {
    let match = true;
    for (let i = 0; i < k && match; i++) match = tail[tail.length - k + i] === batch[i];
    if (match) return k;
  }
  return 0;
}
