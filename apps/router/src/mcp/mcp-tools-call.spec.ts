import { FakeWorld } from '../testing/in-memory-ports';
import { seedWorld } from '../testing/send-helpers';
import { startTestRouter, type TestRouter } from '../testing/start-test-router';

/**
 * A plain tools/call is answered by the listener itself (mcp-tools-call.ts); the same
 * call by a route the direct answer does not take (a Content-Type with a parameter) goes
 * through the SDK's Server + transport. Both must give the same HTTP answer, and the
 * transport's refusals stay its own.
 */
describe('MCP tools/call answered directly vs through the SDK transport (raw HTTP)', () => {
  let world: FakeWorld;
  let router: TestRouter;
  beforeAll(async () => {
    world = new FakeWorld();
    seedWorld(world);
    world.live.add('claude-alice');
    router = await startTestRouter(world, { env: { IAPEER_MCP_IDENTITY: 'header-only' } });
  });
  afterAll(async () => {
    await router.stop();
    router.sandbox.cleanup();
  });

  const JSON_CT = 'application/json';
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(router.discovery.tcp!, {
      method: 'POST',
      headers: { 'content-type': JSON_CT, accept: 'application/json, text/event-stream', 'x-iapeer-identity': 'claude-boris', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, type: r.headers.get('content-type'), body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const call = (id: number | string, args: Record<string, unknown>, name = 'send_to_peer') => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

  it.each([
    ['a delivered send', { personality: 'alice', message: 'hi' }, 'send_to_peer'],
    ['a refused send (unknown target)', { personality: 'nobody', message: 'hi' }, 'send_to_peer'],
    ['an invalid one (an unknown field)', { personality: 'alice', message: 'hi', idempotencyKey: 'k' }, 'send_to_peer'],
    ['an unknown tool', { personality: 'alice', message: 'hi' }, 'no_such_tool'],
  ])('%s: the same status, content type and JSON-RPC answer on both paths', async (_what, args, name) => {
    const direct = await post(call(7, args, name));
    const viaSdk = await post(call(7, args, name), { 'content-type': 'application/json; charset=utf-8' });
    expect(direct).toEqual(viaSdk);
    expect(direct.status).toBe(200);
    expect(direct.type).toBe('application/json');
    expect(direct.body).toMatchObject({ jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text' }] } });
  });

  it('delivers once per call on either path, and keeps a string id', async () => {
    const before = world.landed.get('claude-alice')?.length ?? 0;
    expect((await post(call('a-string-id', { personality: 'alice', message: 'direct' }))).body.id).toBe('a-string-id');
    await post(call(8, { personality: 'alice', message: 'via sdk' }), { 'content-type': 'application/json; charset=utf-8' });
    const landed = world.landed.get('claude-alice') ?? [];
    expect(landed.length).toBe(before + 2);
    expect(landed.slice(-2).map((t) => (t.includes('direct') ? 'direct' : t.includes('via sdk') ? 'via sdk' : t))).toEqual(['direct', 'via sdk']);
  });

  it('keeps the transport\'s refusals: 406 without SSE in Accept, 400 on invalid JSON, an unsupported protocol version or a non-request, the SDK\'s error on bad params', async () => {
    expect((await post(call(1, { personality: 'alice', message: 'x' }), { accept: 'application/json' })).status).toBe(406);
    expect(await post('{not json')).toEqual({ status: 400, type: JSON_CT, body: { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: Invalid JSON' }, id: null } });
    const version = await post(call(1, { personality: 'alice', message: 'x' }), { 'mcp-protocol-version': '1999-01-01' });
    expect(version.status).toBe(400);
    expect(JSON.stringify(version.body)).toMatch(/Unsupported protocol version/);
    expect((await post({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'send_to_peer' } })).status).toBe(202); // no id: a notification
    // a call without a tool name is the SDK's to refuse (the direct answer never takes it)
    const noName = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { arguments: {} } };
    const badParams = await post(noName);
    expect(badParams.body).toMatchObject({ id: 3, error: { code: expect.any(Number) } });
    expect(badParams).toEqual(await post(noName, { 'content-type': 'application/json; charset=utf-8' }));
  });
});
