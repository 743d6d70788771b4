/**
 * The MCP caller check as a port: the `X-IAPeer-Identity` header against the registry
 * (§8.2), then, in `token` mode (the default), the session token (issue 9): a call is
 * accepted as `<identity>` only with that live session's `X-IAPeer-Token`.
 * `IAPEER_MCP_IDENTITY=header-only` keeps the original's open behaviour.
 */
import { IapeerError, TOKEN_HEADER } from '@iapeer/core';
import type { PeerDirectory } from '../ports';
import { resolveCaller, type ResolvedCaller } from './resolve-caller';

export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface CallerAuthenticator {
  /** The caller of one MCP request; throws CALLER_UNKNOWN / CALLER_TOKEN_INVALID. */
  authenticate(headers: RequestHeaders): Promise<ResolvedCaller>;
}

/** Issue 9: compares a presented token with the hash the supervisor keeps for the live session. */
export interface SessionTokenVerifier {
  verify(identity: string, token: string | undefined): Promise<boolean>;
}

/** One header value; a repeated header is treated as malformed (no picking one of several claims). */
export function singleHeader(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  if (Array.isArray(v)) return v.length === 1 ? v[0] : undefined;
  return v;
}

/** `token` mode cannot be built without a verifier: no silent fall-back to the open mode. */
export type CallerAuthOptions =
  | { directory: PeerDirectory; mode: 'token'; tokens: SessionTokenVerifier }
  | { directory: PeerDirectory; mode: 'header-only'; tokens?: SessionTokenVerifier };

export function createCallerAuthenticator(opts: CallerAuthOptions): CallerAuthenticator {
  const { directory } = opts;
  return {
    async authenticate(headers) {
      const caller = await resolveCaller(singleHeader(headers, 'x-iapeer-identity'), directory, 'header');
      if (opts.mode === 'token' && !(await opts.tokens.verify(caller.identity, singleHeader(headers, TOKEN_HEADER)))) {
        throw new IapeerError(
          'CALLER_TOKEN_INVALID',
          `caller "${caller.identity}" did not present the token of its live session (${TOKEN_HEADER}); call from inside that peer's session, whose MCP config sends IAPEER_PEER_TOKEN`,
          { data: { identity: caller.identity } },
        );
      }
      return caller;
    },
  };
}
