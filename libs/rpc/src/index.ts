export { serve, type ServeOptions, type RpcServer } from './server';
export { connect, type ConnectOptions, type RpcClient } from './client';
export { unavailableError, iapeerCodeOf, errorDetailsOf } from './errors';
export { assertPortFree, identifyPortHolder, portInUseError, portIsFree, IAPEER_WELL_KNOWN_PATH, type IapeerIdentityDoc, type PortHolder } from './port-holder';
