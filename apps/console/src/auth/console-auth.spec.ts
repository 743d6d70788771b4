import { ConsoleAuth } from './console-auth';
import { cookieName, parseCookies, sessionCookie } from './cookie';

function harness() {
  let now = 1_000_000;
  let n = 0;
  const auth = new ConsoleAuth({ clock: { now: () => now }, random: (bytes) => `r${bytes}-${n++}`, tokenTtlMs: 60_000, sessionTtlMs: 3_600_000 });
  return { auth, advance: (ms: number) => (now += ms) };
}

describe('console logins: one-time tokens and sessions', () => {
  it('a token is exchanged once for a session the console then recognises', () => {
    const { auth } = harness();
    const { token } = auth.issueToken();
    const v = auth.exchange(token);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.session).not.toBe(token);
    expect(auth.hasSession(v.session)).toBe(true);
    expect(auth.exchange(token)).toEqual({ ok: false, reason: 'this login token is unknown or was already used' });
  });

  it('refuses a missing, unknown or expired token, and spends an expired one', () => {
    const { auth, advance } = harness();
    expect(auth.exchange(null)).toEqual({ ok: false, reason: 'no login token in the URL' });
    expect(auth.exchange('guess')).toMatchObject({ ok: false });
    const { token } = auth.issueToken();
    advance(60_001);
    expect(auth.exchange(token)).toEqual({ ok: false, reason: 'this login token expired' });
    expect(auth.exchange(token)).toMatchObject({ ok: false, reason: 'this login token is unknown or was already used' });
  });

  it('a session expires, and a token is never a session', () => {
    const { auth, advance } = harness();
    const { token } = auth.issueToken();
    expect(auth.hasSession(token)).toBe(false);
    const v = auth.exchange(token);
    if (!v.ok) throw new Error('exchange failed');
    advance(3_600_001);
    expect(auth.hasSession(v.session)).toBe(false);
    expect(auth.hasSession(undefined)).toBe(false);
  });

  it('a read-only token makes a read-only session; the default is a full one', () => {
    const { auth } = harness();
    const ro = auth.exchange(auth.issueToken({ readOnly: true }).token);
    const full = auth.exchange(auth.issueToken().token);
    if (!ro.ok || !full.ok) throw new Error('exchange failed');
    expect([ro.readOnly, full.readOnly]).toEqual([true, false]);
    expect(auth.session(ro.session)).toMatchObject({ readOnly: true });
    expect(auth.session(full.session)).toMatchObject({ readOnly: false });
  });

  it('real tokens are long and distinct', () => {
    const auth = new ConsoleAuth();
    const a = auth.issueToken().token;
    const b = auth.issueToken().token;
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[\w-]{32}$/);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, site-wide, and named by port (cookies ignore ports)', () => {
    expect(sessionCookie(8766, 'abc', 3_600_000)).toBe('iapeer_console_8766=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600');
    expect(cookieName(8767)).toBe('iapeer_console_8767');
  });

  it('parses a Cookie header, first value of a name wins', () => {
    const c = parseCookies('a=1; iapeer_console_8766=s1; junk; iapeer_console_8766=s2; b = 2 ');
    expect(c.get('iapeer_console_8766')).toBe('s1');
    expect(c.get('b')).toBe('2');
    expect(parseCookies(undefined).size).toBe(0);
  });
});
