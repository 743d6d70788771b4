import { checkActionShape, checkApiRequest, checkHost, checkOrigin, isOwnOrigin, type ApiRequestFacts } from './request-guard';

const PORT = 8766;
const SESSION = 'good-session';
const facts = (over: Partial<ApiRequestFacts> & { headers?: Record<string, string> } = {}): ApiRequestFacts => ({
  method: 'GET',
  port: PORT,
  readOnly: false,
  hasSession: (id) => id === SESSION,
  ...over,
  headers: { host: `127.0.0.1:${PORT}`, cookie: `iapeer_console_${PORT}=${SESSION}`, ...over.headers },
});
const action = (headers: Record<string, string> = {}, over: Partial<ApiRequestFacts> = {}) =>
  facts({ method: 'POST', ...over, headers: { origin: `http://127.0.0.1:${PORT}`, 'content-type': 'application/json', ...headers } });

describe('the console request guard', () => {
  it('Host: only this machine on this port (a rebinding name or another port is refused)', () => {
    for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`, `LOCALHOST:${PORT}`]) expect(checkHost({ host }, PORT)).toEqual({ ok: true });
    for (const host of ['attacker.example', `attacker.example:${PORT}`, '127.0.0.1', '127.0.0.1:8765', `127.0.0.1.nip.io:${PORT}`]) {
      expect(checkHost({ host }, PORT)).toMatchObject({ ok: false, status: 403 });
    }
    expect(checkHost({}, PORT)).toMatchObject({ ok: false, reason: 'no Host header' });
  });

  it('Origin: the console itself only (scheme, loopback name and port); required for actions', () => {
    expect(isOwnOrigin(`http://127.0.0.1:${PORT}`, PORT)).toBe(true);
    expect(isOwnOrigin(`http://localhost:${PORT}`, PORT)).toBe(true);
    for (const o of ['null', 'http://evil.example', `https://127.0.0.1:${PORT}`, 'http://127.0.0.1:8765', `http://127.0.0.1:${PORT}/x`, 'garbage']) expect(isOwnOrigin(o, PORT)).toBe(false);
    expect(checkOrigin({}, PORT, false)).toEqual({ ok: true });
    expect(checkOrigin({}, PORT, true)).toMatchObject({ ok: false, status: 403 });
    expect(checkOrigin({ origin: `http://127.0.0.1:${PORT}`, 'sec-fetch-site': 'cross-site' }, PORT, true)).toMatchObject({ ok: false, status: 403 });
    expect(checkOrigin({ origin: `http://127.0.0.1:${PORT}`, 'sec-fetch-site': 'same-origin' }, PORT, true)).toEqual({ ok: true });
  });

  it('an action is a POST with a JSON body (what a plain form or a simple request cannot send)', () => {
    expect(checkActionShape('POST', { 'content-type': 'application/json; charset=utf-8' })).toEqual({ ok: true });
    expect(checkActionShape('GET', { 'content-type': 'application/json' })).toMatchObject({ ok: false, status: 405 });
    for (const t of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) expect(checkActionShape('POST', { 'content-type': t })).toMatchObject({ ok: false, status: 415 });
    expect(checkActionShape('POST', {})).toMatchObject({ ok: false, status: 415 });
  });

  it('an API read needs the session cookie; a foreign Origin is refused even with it', () => {
    expect(checkApiRequest(facts())).toEqual({ ok: true });
    expect(checkApiRequest(facts({ headers: { cookie: '' } }))).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('iapeer console') });
    expect(checkApiRequest(facts({ headers: { cookie: `iapeer_console_${PORT}=stale` } }))).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('expired') });
    // the cookie of another root's console (another port) is not this one's
    expect(checkApiRequest(facts({ headers: { cookie: `iapeer_console_8767=${SESSION}` } }))).toMatchObject({ ok: false, status: 401 });
    expect(checkApiRequest(facts({ headers: { origin: 'http://evil.example' } }))).toMatchObject({ ok: false, status: 403 });
  });

  it('an action needs cookie, own Origin, JSON, and a console that is not read-only', () => {
    expect(checkApiRequest(action())).toEqual({ ok: true });
    expect(checkApiRequest(action({ cookie: '' }))).toMatchObject({ ok: false, status: 401 });
    expect(checkApiRequest(action({ origin: 'http://evil.example' }))).toMatchObject({ ok: false, status: 403 });
    expect(checkApiRequest(facts({ method: 'POST', headers: { 'content-type': 'application/json' } }))).toMatchObject({ ok: false, status: 403, reason: expect.stringContaining('Origin') });
    expect(checkApiRequest(action({ 'content-type': 'text/plain' }))).toMatchObject({ ok: false, status: 415 });
    expect(checkApiRequest(action({}, { readOnly: true }))).toMatchObject({ ok: false, status: 403, reason: expect.stringContaining('read-only') });
    // a read stays allowed on a read-only console
    expect(checkApiRequest(facts({ readOnly: true }))).toEqual({ ok: true });
  });
});
