import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mintSessionToken, revokeSessionToken } from '@iapeer/tokens';
import { FakeWorld } from '../testing/in-memory-ports';
import { seedWorld } from '../testing/send-helpers';
import { startTestRouter, type TestRouter } from '../testing/start-test-router';
import { startMcpListener } from './mcp-listener';

const textOf = (r: unknown) => (r as { content: { text: string }[] }).content[0].text;
const TOKEN_REFUSED = (id: string) =>
  `caller "${id}" did not present the token of its live session (X-IAPeer-Token); call from inside that peer's session, whose MCP config sends IAPEER_PEER_TOKEN`;

/** One send_to_peer through the real SDK client over real HTTP, with the given headers. */
async function sendAs(router: TestRouter, headers: Record<string, string>, message: string) {
  const client = new Client({ name: 'iapeer-trust-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(router.discovery.tcp!), { requestInit: { headers } }));
  try {
    return await client.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message } });
  } finally {
    await client.close();
  }
}

const landedAtAlice = (world: FakeWorld, message: string) => world.landed.get('claude-alice')?.some((t) => t.includes(`<![CDATA[${message}]]>`)) ?? false;

describe('unspoofable MCP identity (issue 9, default token mode)', () => {
  let world: FakeWorld;
  let router: TestRouter;
  let borisToken: string;

  beforeAll(async () => {
    world = new FakeWorld();
    seedWorld(world);
    world.addPeer({ personality: 'carol' });
    for (const id of ['claude-alice', 'claude-boris', 'claude-carol']) world.live.add(id);
    router = await startTestRouter(world);
    // what the supervisor does at spawn: one token per live session
    borisToken = mintSessionToken(router.sandbox.paths, 'claude-boris');
    mintSessionToken(router.sandbox.paths, 'claude-carol');
  });
  afterAll(async () => {
    await router.stop();
    router.sandbox.cleanup();
  });

  it('the legitimate call (identity + its live session token) passes', async () => {
    const r = await sendAs(router, { 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': borisToken }, 'legit');
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ ok: true, delivered_to: { personality: 'alice', runtime: 'claude' } });
    expect(landedAtAlice(world, 'legit')).toBe(true);
    expect(world.deliveryLines().at(-1)).toMatchObject({ path: 'mcp', caller: 'claude-boris', ok: true });
  });

  it.each<[string, () => Record<string, string>]>([
    ["another peer's identity header without any token", () => ({ 'X-IAPeer-Identity': 'claude-boris' })],
    ["another peer's identity header with an empty token (IAPEER_PEER_TOKEN unset)", () => ({ 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': '' })],
    ["another peer's identity header with a made-up token", () => ({ 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': 'A'.repeat(43) })],
    ["another peer's identity header with the caller's own valid token", () => ({ 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': mintSessionToken(router.sandbox.paths, 'claude-carol') })],
  ])('refuses %s with CALLER_TOKEN_INVALID, delivering nothing', async (_name, headers) => {
    const before = world.deliveries;
    const r = await sendAs(router, headers(), 'spoofed');
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe(TOKEN_REFUSED('claude-boris'));
    expect(world.deliveries).toBe(before);
    expect(landedAtAlice(world, 'spoofed')).toBe(false);
    expect(world.deliveryLines().at(-1)).toMatchObject({ path: 'mcp', caller: 'claude-boris', ok: false, code: 'CALLER_TOKEN_INVALID' });
  });

  it("refuses a stale token from boris's previous session; the new session's token passes", async () => {
    const stale = mintSessionToken(router.sandbox.paths, 'claude-boris'); // session 1
    const fresh = mintSessionToken(router.sandbox.paths, 'claude-boris'); // session 2 replaced it
    const old = await sendAs(router, { 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': stale }, 'from the old session');
    expect(old.isError).toBe(true);
    expect(textOf(old)).toBe(TOKEN_REFUSED('claude-boris'));
    expect(landedAtAlice(world, 'from the old session')).toBe(false);
    const now = await sendAs(router, { 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': fresh }, 'from the new session');
    expect(now.isError).toBeFalsy();
    expect(landedAtAlice(world, 'from the new session')).toBe(true);
    borisToken = fresh;
  });

  it('a token dies with its session: revoked, or its session no longer live → refused', async () => {
    const token = mintSessionToken(router.sandbox.paths, 'claude-carol');
    world.live.delete('claude-carol'); // died, and the supervisor has not revoked yet
    const dead = await sendAs(router, { 'X-IAPeer-Identity': 'claude-carol', 'X-IAPeer-Token': token }, 'from a dead session');
    expect(textOf(dead)).toBe(TOKEN_REFUSED('claude-carol'));
    world.live.add('claude-carol');
    revokeSessionToken(router.sandbox.paths, 'claude-carol', token); // the supervisor reaped it
    const revoked = await sendAs(router, { 'X-IAPeer-Identity': 'claude-carol', 'X-IAPeer-Token': token }, 'after revoke');
    expect(textOf(revoked)).toBe(TOKEN_REFUSED('claude-carol'));
    expect(landedAtAlice(world, 'from a dead session') || landedAtAlice(world, 'after revoke')).toBe(false);
  });

  it('the registry check still comes first: an unknown caller is CALLER_UNKNOWN even with a token', async () => {
    const r = await sendAs(router, { 'X-IAPeer-Identity': 'claude-mallory', 'X-IAPeer-Token': borisToken }, 'x');
    expect(textOf(r)).toBe('unknown caller "mallory" — not registered in peers-profiles.json');
  });
});

describe('IAPEER_MCP_IDENTITY=header-only keeps the original open behaviour', () => {
  it('the identity header alone passes, and a wrong token is not even looked at', async () => {
    const world = new FakeWorld();
    seedWorld(world);
    world.live.add('claude-alice');
    const router = await startTestRouter(world, { env: { IAPEER_MCP_IDENTITY: 'header-only' } });
    try {
      const bare = await sendAs(router, { 'X-IAPeer-Identity': 'claude-boris' }, 'open 1');
      expect(bare.isError).toBeFalsy();
      const wrong = await sendAs(router, { 'X-IAPeer-Identity': 'claude-boris', 'X-IAPeer-Token': 'wrong' }, 'open 2');
      expect(wrong.isError).toBeFalsy();
      expect(landedAtAlice(world, 'open 1') && landedAtAlice(world, 'open 2')).toBe(true);
    } finally {
      await router.stop();
      router.sandbox.cleanup();
    }
  });
});

/** The JSON-RPC reply to initialize: a result, or the guard's error. */
interface InitializeReply {
  jsonrpc?: string;
  id?: number | null;
  result?: { serverInfo?: unknown };
  error?: { code: number; message: string };
}

/** A raw initialize POST with full control over Host and Origin (fetch forbids setting Host). */
function rawInitialize(url: string, headers: Record<string, string>): Promise<{ status: number; body: InitializeReply }> {
  const u = new URL(url);
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('DNS-rebinding guard: only local Host and Origin', () => {
  let world: FakeWorld;
  let router: TestRouter;
  let port: number;
  beforeAll(async () => {
    world = new FakeWorld();
    seedWorld(world);
    router = await startTestRouter(world);
    port = Number(new URL(router.discovery.tcp!).port);
  });
  afterAll(async () => {
    await router.stop();
    router.sandbox.cleanup();
  });

  it.each<[string, (port: number) => Record<string, string>]>([
    ['Host 127.0.0.1:<port>', (p) => ({ host: `127.0.0.1:${p}` })],
    ['Host localhost:<port>', (p) => ({ host: `localhost:${p}` })],
    ['Host LOCALHOST:<port> (hostnames are case-insensitive)', (p) => ({ host: `LOCALHOST:${p}` })],
    ['Host [::1]:<port>', (p) => ({ host: `[::1]:${p}` })],
    ['a local http Origin on another port (a local dev page)', (p) => ({ host: `127.0.0.1:${p}`, origin: 'http://localhost:5173' })],
    ['Origin http://127.0.0.1 without a port', (p) => ({ host: `127.0.0.1:${p}`, origin: 'http://127.0.0.1' })],
    ['Origin http://[::1]:<port>', (p) => ({ host: `127.0.0.1:${p}`, origin: `http://[::1]:${p}` })],
  ])('accepts %s', async (_name, headers) => {
    const r = await rawInitialize(router.discovery.tcp!, headers(port));
    expect(r.status).toBe(200);
    expect(r.body.result?.serverInfo).toEqual({ name: 'iapeer', version: '0.0.0' });
  });

  it.each<[string, (port: number) => Record<string, string>, RegExp]>([
    ['a rebinding hostname in Host', (p) => ({ host: `evil.example:${p}` }), /^forbidden: Host "evil\.example:\d+" is not local/],
    ['a local Host on another port', (p) => ({ host: `127.0.0.1:${p + 1}` }), /^forbidden: Host "127\.0\.0\.1:\d+" is not local/],
    ['a local Host without the port', () => ({ host: 'localhost' }), /^forbidden: Host "localhost" is not local/],
    ['a look-alike host', (p) => ({ host: `localhost.evil.example:${p}` }), /^forbidden: Host "localhost\.evil\.example:\d+" is not local/],
    ['a foreign Origin', (p) => ({ host: `127.0.0.1:${p}`, origin: 'http://evil.example' }), /^forbidden: Origin "http:\/\/evil\.example" is not local/],
    ['Origin null (sandboxed frame, file://)', (p) => ({ host: `127.0.0.1:${p}`, origin: 'null' }), /^forbidden: Origin "null" is not local/],
    ['an https Origin', (p) => ({ host: `127.0.0.1:${p}`, origin: 'https://localhost' }), /^forbidden: Origin "https:\/\/localhost" is not local/],
    ['a look-alike Origin', (p) => ({ host: `127.0.0.1:${p}`, origin: 'http://127.0.0.1.evil.example' }), /^forbidden: Origin "http:\/\/127\.0\.0\.1\.evil\.example" is not local/],
  ])('refuses %s with 403 and a JSON-RPC error', async (_name, headers, message) => {
    const r = await rawInitialize(router.discovery.tcp!, headers(port));
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    expect(r.body.error?.message).toMatch(message);
    expect(r.body.error?.message).toContain('the iapeer MCP endpoint answers only local callers (DNS-rebinding guard)');
  });

  it('a refused request reaches no tool: nothing is delivered', async () => {
    world.live.add('claude-alice');
    const before = world.deliveries;
    const u = new URL(router.discovery.tcp!);
    const status = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'send_to_peer', arguments: { personality: 'alice', message: 'rebound' } } });
      const req = http.request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: { host: `evil.example:${u.port}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-iapeer-identity': 'claude-boris', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(403);
    expect(world.deliveries).toBe(before);
  });
});

describe('MCP listens on loopback only', () => {
  it('binds 127.0.0.1, and every non-loopback address of this host refuses the port', async () => {
    const listener = await startMcpListener({
      port: 0,
      onSend: async () => {
        throw new Error('no send reaches a listener this test only binds');
      },
    });
    try {
      expect(listener.host).toBe('127.0.0.1');
      expect(listener.url).toBe(`http://127.0.0.1:${listener.port}/mcp`);
      const external = Object.values(os.networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal && a.family === 'IPv4')
        .map((a) => a!.address);
      for (const address of external) {
        const outcome = await new Promise<string>((resolve) => {
          const sock = net.connect({ host: address, port: listener.port });
          sock.once('connect', () => {
            sock.destroy();
            resolve('connected');
          });
          sock.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
        });
        expect([address, outcome]).toEqual([address, 'ECONNREFUSED']);
      }
    } finally {
      await listener.close();
    }
  });
});
