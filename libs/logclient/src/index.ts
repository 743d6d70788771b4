export type { EventLogName, EventFields, EventLog } from './event-log';
export { createEventLog, type EventLogOptions, type EventLogClient } from './create-event-log';
export { formatLogfmt, formatLogfmtValue } from './logfmt';
export { parseLogfmt } from './logfmt-parse';
export { StormCompactor, sameFields } from './storm';
export { createServiceLogStream, annotateDropped, type ServiceLogStream, type ServiceLogStreamOptions } from '@iapeer/rpc';
