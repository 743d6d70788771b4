/**
 * The production SessionTokenVerifier (issue 9): the presented `X-IAPeer-Token` must
 * match the hash the supervisor minted for `<identity>`'s session (libs/tokens,
 * constant-time), AND that session must be live. The liveness half closes the window
 * where a session died while the supervisor was down: its hash file is still there
 * until the supervisor's start-up sweep, but a dead session's token proves nothing.
 */
import type { IapeerPaths } from '@iapeer/core';
import { verifySessionToken } from '@iapeer/tokens';
import type { SessionProbe } from '../ports';
import type { SessionTokenVerifier } from './caller-authenticator';

export function createSessionTokenVerifier({ paths, sessions }: { paths: IapeerPaths; sessions: Pick<SessionProbe, 'isLive'> }): SessionTokenVerifier {
  return {
    // the token first: a wrong one costs no tmux call
    verify: async (identity, token) => verifySessionToken(paths, identity, token) && (await sessions.isLive(identity)),
  };
}
