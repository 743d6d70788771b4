export { serve, type ServeOptions, type RpcServer } from './server';
export { connect, type ConnectOptions, type RpcClient } from './client';
export { unavailableError, iapeerCodeOf, errorDetailsOf } from './errors';
