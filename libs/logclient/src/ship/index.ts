export { createLogSender, annotateDropped, type LogSender, type LogSenderOptions } from './batch-sender';
export { createServiceLogStream, type ServiceLogStream, type ServiceLogStreamOptions } from './service-log-stream';
