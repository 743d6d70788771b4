import {
  bringUp,
  callSend,
  connectMcp,
  deliveryLog,
  landedCount,
  mcpUrl,
  snapshotRoot,
  startRouterStack,
  toolText,
  type RouterStack,
} from './support/router-stack';

/** A raw MCP `tools/call` of send_to_peer, as any HTTP client could post it. */
function postSend(url: string, headers: Record<string, string>, message: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'X-IAPeer-Identity': 'fake-alice', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'send_to_peer', arguments: { personality: 'bob', message } } }),
  });
}

// IAPEER_BEARER_TOKEN on the real router: off, no Authorization is needed; on (the router
// restarted with it), every request without the exact bearer is 401 before any MCP is
// parsed, and the bearer never stands in for the caller's identity.
describe('MCP bearer token (IAPEER_BEARER_TOKEN) off and on', () => {
  let rs: RouterStack;

  beforeAll(async () => {
    rs = await startRouterStack(['alice', 'bob']);
    await bringUp(rs, 'bob');
  }, 60_000);
  afterAll(() => rs.stop(), 60_000);

  it('off: a send without Authorization is delivered', async () => {
    const res = await postSend(mcpUrl(rs.sb), {}, 'no bearer needed marker-B0');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { structuredContent: unknown } };
    expect(body.result.structuredContent).toMatchObject({ ok: true, delivered_to: { personality: 'bob' } });
    expect(landedCount(rs.sb, 'bob', 'marker-B0')).toBe(1);
  });

  describe('on', () => {
    beforeAll(() => rs.stack.restart('router', { IAPEER_BEARER_TOKEN: 'e2e-s3cret' }), 30_000);

    it.each<[string, Record<string, string>]>([
      ['no Authorization', {}],
      ['a wrong bearer', { authorization: 'Bearer wrong' }],
      ['the token without the Bearer scheme', { authorization: 'e2e-s3cret' }],
      ['a prefix of the token', { authorization: 'Bearer e2e-s3cre' }],
    ])('refuses %s with 401, -32001 and www-authenticate, changing nothing', async (_name, headers) => {
      const logBefore = (await deliveryLog(rs.sb)).length;
      const before = snapshotRoot(rs.sb);
      const res = await postSend(mcpUrl(rs.sb), headers, 'must not land marker-B1');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toEqual({ jsonrpc: '2.0', error: { code: -32001, message: 'unauthorized' }, id: null });
      expect(snapshotRoot(rs.sb)).toEqual(before);
      expect(landedCount(rs.sb, 'bob', 'marker-B1')).toBe(0);
      // refused at the HTTP door: no tool call was read, so there is no send to log
      expect(await deliveryLog(rs.sb)).toHaveLength(logBefore);
    });

    it('the SDK client cannot even initialize without the bearer', async () => {
      await expect(connectMcp(rs, { 'X-IAPeer-Identity': 'fake-alice' })).rejects.toThrow();
    });

    it('the SDK client with the bearer and the identity header delivers', async () => {
      const client = await connectMcp(rs, { 'X-IAPeer-Identity': 'fake-alice', Authorization: 'Bearer e2e-s3cret' });
      const r = await callSend(client, { personality: 'bob', message: 'with bearer marker-B2' });
      expect(r.structuredContent).toMatchObject({ ok: true, delivered_to: { personality: 'bob', runtime: 'fake' }, woke: false });
      expect(landedCount(rs.sb, 'bob', 'marker-B2')).toBe(1);
    });

    it('the bearer is not an identity: without the header the call is refused', async () => {
      const client = await connectMcp(rs, { Authorization: 'Bearer e2e-s3cret' });
      const r = await callSend(client, { personality: 'bob', message: 'anonymous marker-B3' });
      expect(r.isError).toBe(true);
      expect(toolText(r)).toBe('missing or malformed x-iapeer-identity header — expected "<runtime>-<personality>"');
      expect(landedCount(rs.sb, 'bob', 'marker-B3')).toBe(0);
    });
  });
});
