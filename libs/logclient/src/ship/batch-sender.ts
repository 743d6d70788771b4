import { randomBytes } from 'node:crypto';
import { createBackoff } from '@iapeer/core';
import type { AppendInput, LogdRouter } from '@iapeer/contracts';
import { connect, iapeerCodeOf } from '@iapeer/rpc';
import { LineQueue, type QueuedLine } from './line-queue';

export interface LogSenderOptions {
  /** logd's socket (`paths.serviceSocket('logd')`). */
  socketPath: string;
  /** Who is sending (a service name); part of the producer id logd uses to drop replays. */
  source: string;
  /** Lines kept while logd is down; past it the oldest go. @default 20000 */
  maxBuffered?: number;
  /** Lines per append call. @default 2000 */
  maxBatch?: number;
  /**
   * Characters of lines per append call, so a batch stays far below the rpc call-frame
   * limit (8 Mi characters, libs/rpc ndjson.ts) whatever the lines' length. @default 1 Mi
   */
  maxBatchChars?: number;
  /** Longest wait between two tries while logd is down. @default 1000 */
  maxBackoffMs?: number;
  /** Adds `dropped=N` to the next line of a log that lost N lines. @default annotateDropped */
  annotate?: (line: string, dropped: number) => string;
  /** For tests: where batches go. @default logd's `append` over socketPath */
  logd?: LogdAppender;
}

/** The one logd call the sender makes (logd's `append` procedure), and the connection's close. */
export interface LogdAppender {
  append(input: AppendInput): Promise<unknown>;
  close(): void;
}

function connectLogd(socketPath: string): LogdAppender {
  const rpc = connect<LogdRouter>({ service: 'logd', socketPath, retryMs: 500, waitForMissing: true });
  return { append: (input) => rpc.client.append.mutate(input), close: rpc.close };
}

export interface LogSender {
  /** Queues one line (no newline); never throws, never blocks. */
  push(log: string, line: string): void;
  /** Resolves when all pushed lines reached logd, or after `timeoutMs` (false then). */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes (bounded by timeoutMs) and closes the connection. */
  close(timeoutMs?: number): Promise<void>;
  /** Lines dropped so far: buffer overflow, plus batches logd refused as invalid. */
  droppedTotal(): number;
  /** Lines waiting (queued + in flight). */
  pending(): number;
}

/** logfmt lines get ` dropped=N`; JSON object lines (pino) get a `"dropped":N` member. */
export function annotateDropped(line: string, dropped: number): string {
  if (line.endsWith('}')) return `${line.slice(0, -1)}${line.length > 2 ? ',' : ''}"dropped":${dropped}}`;
  return `${line} dropped=${dropped}`;
}

const START_BACKOFF_MS = 20;

/**
 * Ships lines to logd in order, in batches, one call in flight at a time. While logd
 * is down the lines wait in a bounded queue and the call is retried with backoff; a
 * retried batch is flagged so logd can drop it if the first try was applied. Nothing
 * here throws into the caller or keeps the process alive (timers are unref'ed).
 */
export function createLogSender(opts: LogSenderOptions): LogSender {
  const maxBatch = opts.maxBatch ?? 2000;
  const maxBatchChars = opts.maxBatchChars ?? 1024 * 1024;
  const maxBackoff = opts.maxBackoffMs ?? 1000;
  const annotate = opts.annotate ?? annotateDropped;
  const queue = new LineQueue(opts.maxBuffered ?? 20_000);
  const logd = opts.logd ?? connectLogd(opts.socketPath);
  const producer = `${opts.source}:${process.pid}:${randomBytes(6).toString('hex')}`;
  let seq = 0;
  let inflight: { input: AppendInput; lines: number } | undefined;
  let scheduled = false;
  const backoff = createBackoff({ startMs: START_BACKOFF_MS, capMs: maxBackoff });
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let rejectedLines = 0;
  let idleWaiters: (() => void)[] = [];

  const schedule = () => {
    if (scheduled || inflight || retryTimer || closed) return;
    scheduled = true;
    // not unref'd: an unref'd immediate waits for the next I/O or timer when the loop is idle
    // (the poll phase blocks), which delayed log lines by seconds in a quiet service
    setImmediate(pump);
  };

  function buildBatch(items: QueuedLine[]): AppendInput {
    const byLog = new Map<string, string[]>();
    for (const { log, line } of items) {
      let lines = byLog.get(log);
      if (!lines) {
        lines = [];
        byLog.set(log, lines);
        const lost = queue.dropped.get(log);
        if (lost) {
          queue.dropped.delete(log);
          lines.push(annotate(line, lost));
          continue;
        }
      }
      lines.push(line);
    }
    // one joined string per log: the wire carries (and superjson walks) one value, not thousands
    return { producer, seq, entries: [...byLog].map(([log, lines]) => ({ log, text: lines.join('\n') })) };
  }

  function pump(): void {
    scheduled = false;
    if (inflight || closed) return;
    if (queue.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    const items = queue.take(maxBatch, maxBatchChars);
    inflight = { input: buildBatch(items), lines: items.length };
    send();
  }

  function send(): void {
    const current = inflight!;
    logd.append(current.input).then(
      () => {
        inflight = undefined;
        seq++;
        backoff.reset();
        pump();
      },
      (err: unknown) => {
        const code = iapeerCodeOf(err);
        if (code !== undefined && code !== 'SERVICE_UNAVAILABLE' && code !== 'INTERNAL') {
          // logd refused the batch itself (a bad line, an unknown log): retrying cannot help
          rejectedLines += current.lines;
          inflight = undefined;
          seq++;
          pump();
          return;
        }
        // logd is down or restarting: keep the batch as it is (same producer and seq: logd's
        // journal recognises it if the first try landed, in full or in part), try again later
        current.input = { ...current.input, retry: true };
        if (closed) return;
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          send();
        }, backoff.next());
        retryTimer.unref();
      },
    );
  }

  const flush = (timeoutMs = 5000) =>
    new Promise<boolean>((resolve) => {
      if (queue.length === 0 && !inflight) return resolve(true);
      const timer = setTimeout(() => {
        idleWaiters = idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      idleWaiters.push(done);
      schedule();
    });

  return {
    push(log, line) {
      if (closed) return;
      queue.push({ log, line });
      schedule();
    },
    flush,
    async close(timeoutMs = 5000) {
      await flush(timeoutMs);
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      logd.close();
    },
    droppedTotal: () => queue.droppedTotal + rejectedLines,
    pending: () => queue.length + (inflight?.lines ?? 0),
  };
}
