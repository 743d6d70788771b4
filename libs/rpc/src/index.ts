export { serve, type ServeOptions, type RpcServer } from './server';
export { connect, type ConnectOptions, type RpcClient } from './client';
export { unavailableError, iapeerCodeOf, errorDetailsOf } from './errors';
export { startService, runServiceMain, type ServiceContext, type ServiceParts, type RunServiceOptions, type RunningService } from './service';
export { createLogSender, annotateDropped, createServiceLogStream, type LogSender, type LogSenderOptions, type ServiceLogStream, type ServiceLogStreamOptions } from './log-sink';
export { assertPortFree, identifyPortHolder, portInUseError, portIsFree, IAPEER_WELL_KNOWN_PATH, type IapeerIdentityDoc, type PortHolder } from './port-holder';
