import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '@iapeer/testing';
import { mintSessionToken } from '@iapeer/tokens';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { FakeWorld } from '../testing/in-memory-ports';
import { seedWorld } from '../testing/send-helpers';
import { startTestRouter, type TestRouter } from '../testing/start-test-router';

async function mcpClient(url: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'iapeer-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

const textOf = (r: unknown) => (r as { content: { text: string }[] }).content[0].text;

/** boris's live session and its token (the default `token` identity mode, issue 9). */
function bootBoris(world: FakeWorld, router: TestRouter): Record<string, string> {
  world.live.add('claude-boris');
  return { 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': mintSessionToken(router.sandbox.paths, 'claude-boris') };
}

describe('MCP listener (real SDK client over real HTTP)', () => {
  let world: FakeWorld;
  let router: TestRouter;
  let boris: Record<string, string>;
  const clients: Client[] = [];
  const connectAs = async (headers: Record<string, string>) => {
    const c = await mcpClient(router.discovery.tcp!, headers);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    world = new FakeWorld();
    seedWorld(world);
    world.live.add('claude-alice');
    router = await startTestRouter(world);
    boris = bootBoris(world, router);
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await router.stop();
    router.sandbox.cleanup();
  });

  it('writes router.json (0600) with the bound port, the MCP URL and every socket', () => {
    const { discovery, sandbox } = router;
    expect(discovery.tcp).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(discovery.tcp).not.toContain(':0/');
    expect(discovery.sock).toBe(sandbox.paths.serviceSocket('router'));
    expect(discovery.sockets).toEqual({
      logd: sandbox.paths.serviceSocket('logd'),
      registry: sandbox.paths.serviceSocket('registry'),
      supervisor: sandbox.paths.serviceSocket('supervisor'),
      router: sandbox.paths.serviceSocket('router'),
      console: sandbox.paths.serviceSocket('console'),
    });
    expect(fs.statSync(sandbox.paths.routerJson).mode & 0o777).toBe(0o600);
  });

  it('lists exactly one tool, send_to_peer, with §9 schema, annotations and _meta', async () => {
    const c = await connectAs(boris);
    expect(c.getServerVersion()).toEqual({ name: 'iapeer', version: '0.0.0' });
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name)).toEqual(['send_to_peer']);
    const [tool] = tools;
    expect(tool.inputSchema).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['personality', 'message'],
      properties: {
        personality: expect.objectContaining({ type: 'string', pattern: '^[a-z][a-z0-9-]{0,31}(@[A-Za-z0-9][A-Za-z0-9_-]{0,62})?$' }),
        runtime: expect.objectContaining({ type: 'string', pattern: '^[a-z][a-z0-9]{0,31}$' }),
        message: expect.objectContaining({ type: 'string', minLength: 1, maxLength: 16000 }),
        topic: expect.objectContaining({ type: 'string', maxLength: 200 }),
        attachments: expect.objectContaining({ type: 'array', items: { type: 'string' }, maxItems: 20 }),
      },
    });
    expect(tool.annotations).toEqual({ title: 'Send to IAP peer', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true });
    expect(tool._meta).toEqual({ 'anthropic/alwaysLoad': true });
    expect(tool.description).toContain('personality');
    expect(tool.description).toContain('<iap');
    expect(tool.description).not.toContain('alice'); // no roster
  });

  it('send_to_peer delivers and returns the result as pretty JSON text and structuredContent', async () => {
    const c = await connectAs(boris);
    const r = await c.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message: 'over mcp' } });
    const expected = { ok: true, delivered_to: { personality: 'alice', runtime: 'claude' }, woke: false, ts: '2026-01-01T00:00:00.000Z' };
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual(expected);
    expect(textOf(r)).toBe(JSON.stringify(expected, null, 2));
    expect(world.landed.get('claude-alice')!.some((t) => t.includes('<![CDATA[over mcp]]>'))).toBe(true);
    expect(world.deliveryLines().at(-1)).toMatchObject({ path: 'mcp', caller: 'claude-boris', ok: true });
  });

  it('send_to_peer to an ephemeral worker answers the queued result (§9): queued, queuedBy, queueDepth', async () => {
    const c = await connectAs(boris);
    world.addPeer({ personality: 'worker', wakePolicy: 'ephemeral' });
    const r = await c.callTool({ name: 'send_to_peer', arguments: { personality: 'worker', message: 'a job' } });
    const expected = { ok: true, delivered_to: { personality: 'worker', runtime: 'claude' }, woke: false, ts: '2026-01-01T00:00:00.000Z', queued: true, queuedBy: 'ephemeral', queueDepth: 1 };
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual(expected);
    expect(textOf(r)).toBe(JSON.stringify(expected, null, 2));
    expect(world.queues.get('claude-worker')).toHaveLength(1);
  });

  it('send_to_peer to a session showing a dialog answers queued (composer hold, §6.4), on disk under state/iapeer/composer-queue, and it lands once the dialog is gone', async () => {
    const c = await connectAs(boris);
    world.live.add('claude-tg2');
    world.addPeer({ personality: 'tg2' });
    world.screens.set('claude-tg2', { state: 'waiting', why: 'trust-folder' });
    const r = await c.callTool({ name: 'send_to_peer', arguments: { personality: 'tg2', message: 'held over mcp' } });
    expect(r.isError).toBeFalsy();
    const sc = r.structuredContent as Record<string, unknown>;
    expect(sc).toMatchObject({ ok: true, delivered_to: { personality: 'tg2', runtime: 'claude' }, queued: true, queuedBy: 'composer', queueDepth: 1 });
    expect(sc.note).toBe('a dialog is on screen that a paste would answer (trust-folder); it lands once the dialog is answered, and is never pasted into it');
    expect(textOf(r)).toBe(JSON.stringify(sc, null, 2));
    const dir = path.join(router.sandbox.paths.serviceStateDir, 'composer-queue', 'claude-tg2');
    expect(fs.readdirSync(dir)).toEqual(['000001.json']);
    expect(world.landed.get('claude-tg2')).toBeUndefined();
    world.screens.delete('claude-tg2');
    await waitFor(() => (world.landed.get('claude-tg2')?.length === 1 ? true : null), 'the held message to land');
    expect(world.landed.get('claude-tg2')![0]).toContain('<![CDATA[held over mcp]]>');
    await waitFor(() => (fs.readdirSync(dir).length === 0 ? true : null), 'the queue file to go');
  });

  it.each<[string, Record<string, string>, string]>([
    ['a missing header', {}, 'missing or malformed x-iapeer-identity header — expected "<runtime>-<personality>"'],
    ['a malformed header', { 'X-IAPeer-Identity': 'boris' }, 'missing or malformed x-iapeer-identity header — expected "<runtime>-<personality>"'],
    ['an unknown identity', { 'X-IAPeer-Identity': 'claude-mallory' }, 'unknown caller "mallory" — not registered in peers-profiles.json'],
    ['a spoofed runtime', { 'X-IAPeer-Identity': 'codex-boris' }, 'runtime "codex" is not declared for caller "boris" (declared: claude)'],
  ])('refuses %s as an isError result, delivering nothing', async (_name, headers, message) => {
    const c = await connectAs(headers);
    const before = world.deliveries;
    const r = await c.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message: 'x' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe(message);
    expect(r.structuredContent).toEqual({ ok: false, code: 'CALLER_UNKNOWN', error: message });
    expect(world.deliveries).toBe(before);
    expect(world.deliveryLines().at(-1)).toMatchObject({ path: 'mcp', ok: false, err: message });
  });

  it('a wake the supervisor refused reaches the MCP caller with the supervisor\'s code and reason', async () => {
    const c = await connectAs(boris);
    world.addPeer({ personality: 'carl' });
    world.wakeBehaviour = { kind: 'fail', code: 'CRASH_LOOP', reason: 'crash-loop guard: 3 deaths in 300s, leaving asleep' };
    try {
      const r = await c.callTool({ name: 'send_to_peer', arguments: { personality: 'carl', message: 'x' } });
      const text = 'peer "carl" offline and wake failed: crash-loop guard: 3 deaths in 300s, leaving asleep';
      expect(r.isError).toBe(true);
      expect(textOf(r)).toBe(text);
      expect(r.structuredContent).toEqual({ ok: false, code: 'CRASH_LOOP', error: text });
    } finally {
      world.wakeBehaviour = { kind: 'spawn' };
    }
  });

  it('refuses a message one past 16,000 characters with the §5.3 text', async () => {
    const c = await connectAs(boris);
    const r = await c.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message: 'm'.repeat(16_001) } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('message is 16001 characters; at most 16000 allowed; message NOT delivered');
  });

  it('takes exactly §9 properties: an idempotencyKey is an unknown field here', async () => {
    const c = await connectAs(boris);
    const r = await c.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message: 'x', idempotencyKey: 'k' } });
    expect(textOf(r)).toBe('unknown field "idempotencyKey" (allowed: personality, runtime, message, topic, attachments); message NOT delivered');
  });

  it('answers an unknown tool with `unknown tool: <name>`', async () => {
    const c = await connectAs(boris);
    const r = await c.callTool({ name: 'list_online_peers', arguments: {} });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('unknown tool: list_online_peers');
    expect(r.structuredContent).toBeUndefined();
  });

  it('serves only /mcp', async () => {
    const res = await fetch(router.discovery.tcp!.replace('/mcp', '/other'), { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});

describe('MCP bearer (IAPEER_BEARER_TOKEN)', () => {
  const initialize = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    });

  it('when set: 401 with JSON-RPC -32001 and www-authenticate without the token; the right token passes', async () => {
    const world = new FakeWorld();
    seedWorld(world);
    world.live.add('claude-alice');
    const router = await startTestRouter(world, { env: { IAPEER_BEARER_TOKEN: 's3cret' } });
    try {
      const url = router.discovery.tcp!;
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 's3cret' }] as Record<string, string>[]) {
        const res = await initialize(url, headers);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(JSON.parse(await res.text())).toEqual({ jsonrpc: '2.0', error: { code: -32001, message: 'unauthorized' }, id: null });
      }
      const boris = bootBoris(world, router);
      await expect(mcpClient(url, boris)).rejects.toThrow();
      const c = await mcpClient(url, { ...boris, Authorization: 'Bearer s3cret' });
      const r = await c.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message: 'with bearer' } });
      expect(r.isError).toBeFalsy();
      await c.close();
    } finally {
      await router.stop();
      router.sandbox.cleanup();
    }
  });

  it('when unset: no Authorization is needed', async () => {
    const world = new FakeWorld();
    seedWorld(world);
    const router = await startTestRouter(world);
    try {
      expect((await initialize(router.discovery.tcp!)).status).toBe(200);
    } finally {
      await router.stop();
      router.sandbox.cleanup();
    }
  });
});
