import * as logclient from '@iapeer/logclient';
import type { IapeerPaths } from '@iapeer/core';
import type { EventFields, EventLog, EventLogName } from '@iapeer/logclient';
import type { Logger } from 'pino';

/**
 * The EventLog to logd. libs/logclient's `createEventLog` is being written on another
 * branch: it is looked up by name (GUESSED signature `createEventLog({ paths, service })`).
 * Until it exists, decisions go to the supervisor's own pino log so none is lost.
 */
export function createSupervisorEventLog(paths: IapeerPaths, logger: Logger): EventLog {
  // a computed key: the bundler must not resolve (and warn about) a not-yet-existing export
  const name: string = 'createEventLog';
  const create = (logclient as unknown as Record<string, unknown>)[name] as ((o: unknown) => EventLog) | undefined;
  if (typeof create === 'function') return create({ paths, service: 'supervisor' });
  return {
    emit(log: EventLogName, fields: EventFields) {
      logger.info({ eventLog: log, ...fields }, 'event');
    },
    flush: async () => {},
    close: async () => {},
  };
}
