import { assertPersonality, assertRuntime, formatIdentity, parseIdentity } from './identity';
import { isIapeerError } from './errors';

describe('identity', () => {
  it('parses at the first dash', () => {
    expect(parseIdentity('claude-code-reviewer')).toEqual({ runtime: 'claude', personality: 'code-reviewer' });
    expect(formatIdentity({ runtime: 'codex', personality: 'a-b' })).toBe('codex-a-b');
  });

  it.each(['claude', '-bob', 'Claude-bob', 'claude-Bob', 'claude-', 'cl_aude-bob', `claude-${'a'.repeat(33)}`])(
    'rejects %s',
    (s) => expect(parseIdentity(s)).toBeNull(),
  );

  it.each([
    ['../x', /invalid peer name "..\/x"/],
    ['Bad', /invalid peer name "Bad"/],
    ['a'.repeat(33), /33 characters, at most 32/],
    ['', /the name is empty/],
  ])('assertPersonality(%j) fails with a coded, explicit error', (name, msg) => {
    try {
      assertPersonality(name);
      throw new Error('did not throw');
    } catch (err) {
      expect(isIapeerError(err) && err.code).toBe('INVALID_PERSONALITY');
      expect((err as Error).message).toMatch(msg);
    }
  });

  it('rejects a runtime with a dash', () => {
    expect(() => assertRuntime('my-rt')).toThrow(/invalid runtime "my-rt".*no dashes/);
    expect(assertRuntime('fake')).toBe('fake');
  });
});
