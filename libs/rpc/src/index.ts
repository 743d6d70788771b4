export { serve, type ServeOptions, type RpcServer } from './server';
export { connect, type ConnectOptions, type RpcClient } from './client';
export { unavailableError, iapeerCodeOf, errorDetailsOf } from './errors';
export { assertPortFree, identifyPortHolder, portInUseError, portIsFree, IAPEER_WELL_KNOWN_PATH, MCP_PORT_USE, CONSOLE_PORT_USE, type IapeerIdentityDoc, type PortHolder, type PortUse } from './port-holder';
