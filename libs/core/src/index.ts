export { ERROR_CODES, type ErrorCode, type WireCode } from './error-codes';
export { IapeerError, isIapeerError, errorMessage, findIapeerError, EXIT_NO_RESTART, NO_RESTART_CODES, type IapeerErrorOptions } from './errors';
export {
  PERSONALITY_RE, RUNTIME_RE, SUPPORTED_LOCAL_RUNTIMES, INFRA_RUNTIMES,
  isPersonality, isRuntime, isInfraRuntime, formatIdentity, parseIdentity, assertPersonality, assertRuntime,
  type Identity,
} from './identity';
export { normalizeName } from './normalize';
export {
  INTELLIGENCE_VALUES, LEGACY_INTELLIGENCE, defaultIntelligence, isKnownIntelligence, normalizeIntelligence,
  type Intelligence,
} from './intelligence';
export * as limits from './limits';
export {
  MAX_DESCRIPTION_LEN, MAX_MESSAGE_LEN, MAX_TOPIC_LEN, MAX_ATTACHMENTS, PEERS_SCHEMA_VERSION,
  IAP_INSTRUCTION, IDENTITY_HEADER, TOKEN_HEADER, PEER_TOKEN_ENV_VAR, MANAGED_SENTINEL_KEY, SERVICE_LABEL_PREFIX, DEFAULT_MCP_PORT,
} from './limits';
export {
  SERVICE_NAMES, OPTIONAL_SERVICE_NAMES, ALL_SERVICE_NAMES, MAX_SOCKET_PATH, resolvePaths, resolveHome, realDefaultRoot,
  type Env, type IapeerPaths, type ServiceName,
} from './paths';
export { loadConfig, positiveInt, tcpPort, truthy, CONFIG_DEFAULTS, type IapeerConfig } from './env-config';
export { IAPEER_VERSION } from './version';
export { EVENT_LOG_NAMES, LOG_NAMES, type EventLogFile, type LogName } from './log-names';
export { createKeyedSerializer, type KeyedSerializer } from './keyed-serializer';
export { backoffDelay, createBackoff, type Backoff, type BackoffPolicy } from './backoff';
export { activeServiceNames, fleetEnabled, fleetHostName, splitFleetTarget, HOST_NAME_RE, type FleetTarget } from './fleet';
