import { EventEmitter } from 'node:events';
import { EVENT_LOG_NAMES, LOG_NAMES, MAX_APPEND_LINES, MAX_LOG_LINE, type AppendInput, type AppendResult, type LogName } from '@iapeer/contracts';
import { IapeerError, type IapeerConfig } from '@iapeer/core';
import path from 'node:path';
import { AppendJournal, linesInBytes, type Placement } from './append-journal';
import { isSuperviseNonDecision, lineProblem } from './log-filter';
import { RotatingFile, type RotationLimits } from './rotating-file';

/** Producers remembered for replay detection (oldest forgotten first). */
const MAX_PRODUCERS = 1000;

/** The high-water marks of the producers' batches (append-journal.ts), beside the logs. */
export const JOURNAL_FILE = '.append-journal';

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
  private journal: AppendJournal | undefined;
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
    const journal = this.openJournal();
    const verdict = journal.verdict(input.producer, input.seq);
    const total = targets.reduce((n, t) => n + t.lines.length, 0);
    if (verdict.kind === 'duplicate') return { written: 0, duplicate: total };
    // one run of lines per log, in the batch's order: what the journal places and a retry skips
    const byLog = new Map<LogName, string[]>();
    for (const t of targets) byLog.set(t.log as LogName, [...(byLog.get(t.log as LogName) ?? []), ...this.keep(t.log, t.lines)]);
    const planned = [...byLog].map(([log, lines]) => {
      // a batch cut by a crash: skip the lines it already left in the log
      const known = verdict.kind === 'partial' ? (verdict.landed.lines[log] ?? 0) : 0;
      const found = verdict.kind === 'partial' ? linesInBytes(lines.slice(known), verdict.landed.bytes[log] ?? 0) : 0;
      return { log, file: this.file(log), lines: lines.slice(known + found), skip: known + found };
    });
    const at: Placement = {};
    const skip: Record<string, number> = {};
    for (const p of planned) {
      if (p.skip > 0) skip[p.log] = p.skip;
      if (p.lines.length > 0) at[p.log] = { at: p.file.end(), bytes: p.lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) };
    }
    // the high-water mark is on disk before the lines: after a SIGKILL logd knows where to look
    journal.begin(input.producer, input.seq, at, skip);
    let written = 0;
    let duplicate = 0;
    for (const p of planned) {
      written += this.write(p.file, p.log, p.lines);
      duplicate += p.skip;
    }
    journal.done(input.producer, input.seq);
    return { written, duplicate };
  }

  close(): void {
    this.journal?.close();
    this.journal = undefined;
    for (const f of this.files.values()) f.close();
    this.files.clear();
  }

  private openJournal(): AppendJournal {
    if (!this.journal) {
      const journal = new AppendJournal(path.join(this.dir, JOURNAL_FILE), MAX_PRODUCERS);
      journal.open((log) => this.file(log).end());
      this.journal = journal;
    }
    return this.journal;
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
}

export function checkLogName(log: string): LogName {
  if ((LOG_NAMES as readonly string[]).includes(log)) return log as LogName;
  throw new IapeerError('LOG_UNKNOWN', `there is no log named "${log}"; use one of ${LOG_NAMES.join(', ')}`, { data: { log } });
}
