export type { EventLogName, EventFields, EventLog } from './event-log';
