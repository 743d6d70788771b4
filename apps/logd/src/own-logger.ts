import pino, { type Logger } from 'pino';
import type { LogStore } from './log-store';

/**
 * logd's own pino log goes straight into `logs/iapeer/logd.log` through the same
 * rotator (it cannot send to itself over the socket); error and fatal lines are
 * copied to stderr so a failing logd still says why.
 */
export function createOwnLogger(store: LogStore, stderr: { write(s: string): unknown } = process.stderr): Logger {
  const destination = {
    write(chunk: string) {
      const lines = chunk.split('\n').filter((l) => l.length > 0);
      try {
        store.appendLocal('logd', lines);
      } catch (err) {
        stderr.write(`iapeer logd: cannot write its own log: ${String(err)}\n${chunk}`);
        return;
      }
      if (/"level":(5\d|6\d)/.test(chunk)) stderr.write(chunk);
    },
  };
  return pino({ base: { svc: 'logd', pid: process.pid } }, destination);
}
