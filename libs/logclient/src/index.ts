export type { EventLogName, EventFields, EventLog } from './event-log';
export { createEventLog, type EventLogOptions, type EventLogClient } from './create-event-log';
export { formatLogfmt, formatLogfmtValue } from './logfmt';
export { parseLogfmt } from './logfmt-parse';
export { StormCompactor, sameFields } from './storm';
export { createLogSender, createServiceLogStream, annotateDropped, type LogSender, type LogSenderOptions, type ServiceLogStream, type ServiceLogStreamOptions } from './ship';
