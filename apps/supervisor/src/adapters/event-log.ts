import type { IapeerPaths } from '@iapeer/core';
import { createEventLog, type EventLog } from '@iapeer/logclient';

/**
 * The supervisor's decision log (`ev=wake`, `ev=supervise`, …) to logd. The client never
 * throws and buffers while logd restarts, so a wake or a reap never fails for logging.
 */
export function createSupervisorEventLog(paths: IapeerPaths): EventLog {
  return createEventLog({ socketPath: paths.serviceSocket('logd'), service: 'supervisor' });
}
