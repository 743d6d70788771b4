export { createLogSender, annotateDropped, type LogSender, type LogSenderOptions, type LogdAppender } from './batch-sender';
export { createServiceLogStream, type ServiceLogStream, type ServiceLogStreamOptions } from './service-log-stream';
