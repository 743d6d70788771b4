import { FakeWorld } from '../testing/in-memory-ports';
import { seedWorld } from '../testing/send-helpers';
import { createCallerAuthenticator, type SessionTokenVerifier } from './caller-authenticator';

describe('createCallerAuthenticator', () => {
  const world = new FakeWorld();
  seedWorld(world);
  const directory = world.deps().directory;
  const tokens: SessionTokenVerifier = { verify: async (identity, token) => identity === 'claude-boris' && token === 'good' };

  it('header-only: the registered identity header is enough', async () => {
    const auth = createCallerAuthenticator({ directory, mode: 'header-only', tokens });
    await expect(auth.authenticate({ 'x-iapeer-identity': 'claude-boris' })).resolves.toMatchObject({ identity: 'claude-boris', personality: 'boris' });
  });

  it('token mode with a verifier (issue 9): the session token must match', async () => {
    const auth = createCallerAuthenticator({ directory, mode: 'token', tokens });
    await expect(auth.authenticate({ 'x-iapeer-identity': 'claude-boris', 'x-iapeer-token': 'good' })).resolves.toMatchObject({ identity: 'claude-boris' });
    await expect(auth.authenticate({ 'x-iapeer-identity': 'claude-boris', 'x-iapeer-token': 'stale' })).rejects.toMatchObject({ code: 'CALLER_TOKEN_INVALID' });
    await expect(auth.authenticate({ 'x-iapeer-identity': 'claude-boris' })).rejects.toMatchObject({ code: 'CALLER_TOKEN_INVALID' });
  });

  it('a repeated identity header is malformed, not "pick one"', async () => {
    const auth = createCallerAuthenticator({ directory, mode: 'header-only' });
    await expect(auth.authenticate({ 'x-iapeer-identity': ['claude-boris', 'claude-alice'] })).rejects.toMatchObject({ code: 'CALLER_UNKNOWN' });
  });
});
