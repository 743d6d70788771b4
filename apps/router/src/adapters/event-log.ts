/**
 * TEMPORARY — replace with `createEventLog` from @iapeer/logclient at merge.
 * Guessed shape of that call: `createEventLog({ socketPath: paths.serviceSocket('logd'), logger })`
 * returning the EventLog port. Until then delivery lines go to the router's own
 * pino log as `{ log: 'delivery', ...fields }` (logd stays the only writer of
 * logs/iapeer/delivery.log, so nothing here writes that file).
 */
import type { Logger } from 'pino';
import type { EventLog } from '@iapeer/logclient';

export function createPinoEventLog(logger: Logger): EventLog {
  return {
    emit: (log, fields) => logger.info({ log, ...fields }, 'event'),
    flush: async () => undefined,
    close: async () => undefined,
  };
}
