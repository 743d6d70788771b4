import { createLogSender, type LogSender, type LogSenderOptions } from './batch-sender';

export interface ServiceLogStreamOptions extends Omit<LogSenderOptions, 'source'> {
  /** The service whose pino lines these are; they land in `logs/iapeer/<service>.log`. */
  service: string;
  /** Also copy lines at or above this pino level to stderr (fatal startup errors stay visible). @default 50 (error) */
  stderrLevel?: number;
  /** Where those copies go. @default process.stderr */
  stderr?: { write(s: string): unknown };
}

/** A pino destination (`pino(opts, stream)`): any object with `write(line)`. */
export interface ServiceLogStream extends Pick<LogSender, 'flush' | 'close' | 'droppedTotal' | 'pending'> {
  write(chunk: string): void;
}

const LEVEL = /"level":(\d+)/;

/**
 * pino writes one JSON line per call; each goes to logd (batched, buffered while logd
 * is down), and error/fatal lines are copied to stderr too, because a service that
 * dies before logd is reachable must still say why.
 */
export function createServiceLogStream(opts: ServiceLogStreamOptions): ServiceLogStream {
  const sender = createLogSender({ ...opts, source: opts.service });
  const stderrLevel = opts.stderrLevel ?? 50;
  const stderr = opts.stderr ?? process.stderr;
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (line.length === 0) continue;
        sender.push(opts.service, line);
        const level = Number(LEVEL.exec(line)?.[1] ?? 0);
        if (level >= stderrLevel) stderr.write(line + '\n');
      }
    },
    flush: sender.flush,
    close: sender.close,
    droppedTotal: sender.droppedTotal,
    pending: sender.pending,
  };
}
