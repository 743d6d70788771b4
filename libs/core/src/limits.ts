/** Limits and constants of docs/behaviour.md §2.3. Changing one is a contract change. */
export const MAX_DESCRIPTION_LEN = 450;
export const MAX_MESSAGE_LEN = 16_000;
export const MAX_TOPIC_LEN = 200;
export const MAX_ATTACHMENTS = 20;
export const PEERS_SCHEMA_VERSION = 2;
export const DEFAULT_SOCK_DIR = '/tmp';
export const LAUNCHD_LABEL_PREFIX = 'com.iapeer.';
export const SERVICE_LABEL_PREFIX = 'com.iapeer.';
export const MANAGED_SENTINEL_KEY = 'com.iapeer.managed';
export const IAP_INSTRUCTION = 'IAP message from known peers. Reply via send_to_peer.';
export const CODEX_BEARER_ENV_VAR = 'IAPEER_BEARER';
export const CODEX_DUMMY_BEARER = 'iapeer-localhost-open-no-secret';
export const DEFAULT_MCP_PORT = 8765;
export const IDENTITY_HEADER = 'X-IAPeer-Identity';
export const TOKEN_HEADER = 'X-IAPeer-Token';
/** The session env var the supervisor injects at spawn; the MCP configs send it as TOKEN_HEADER. */
export const PEER_TOKEN_ENV_VAR = 'IAPEER_PEER_TOKEN';
