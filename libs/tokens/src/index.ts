export {
  TOKEN_BYTES,
  TOKEN_FILE_SUFFIX,
  sessionTokenFile,
  mintSessionToken,
  verifySessionToken,
  revokeSessionToken,
  listSessionTokens,
  revokeStaleSessionTokens,
} from './session-token';
export { PEER_TOKEN_ENV_VAR } from '@iapeer/core';
