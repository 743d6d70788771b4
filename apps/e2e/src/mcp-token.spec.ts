import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { installFakeRuntime, makeSandbox, readFakeTranscript, runCli, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

// Issue 9 end to end: the supervisor mints a token when it wakes a peer, the session
// carries it as IAPEER_PEER_TOKEN, and the router accepts an MCP call as that peer only
// with it. Real services, real tmux, real MCP over HTTP.
describe('per-session tokens through the whole stack', () => {
  let sb: Sandbox;
  let stack: TestStack;

  async function callAs(identity: string, token: string | undefined, message: string) {
    const discovery = JSON.parse(fs.readFileSync(sb.paths.routerJson, 'utf8')) as { tcp: string };
    const headers: Record<string, string> = { 'X-IAPeer-Identity': identity };
    if (token !== undefined) headers['X-IAPeer-Token'] = token;
    const client = new Client({ name: 'iapeer-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(discovery.tcp), { requestInit: { headers } }));
    try {
      return (await client.callTool({ name: 'send_to_peer', arguments: { personality: 'alice', message } })) as { isError?: boolean; content: { text: string }[] };
    } finally {
      await client.close();
    }
  }

  /** The token as the agent process sees it: its own environment (Linux /proc). */
  const sessionToken = (identity: string) => {
    const pid = execFileSync('tmux', ['-S', sb.paths.tmuxSocket(identity), 'display-message', '-p', '-t', identity, '#{pane_pid}'], { encoding: 'utf8' }).trim();
    const vars = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const line = vars.find((v) => v.startsWith('IAPEER_PEER_TOKEN='));
    if (!line) throw new Error(`no IAPEER_PEER_TOKEN in the environment of ${identity} (pid ${pid})`);
    return line.slice('IAPEER_PEER_TOKEN='.length);
  };

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000' });
    installFakeRuntime(sb);
    stack = new TestStack(sb);
    await stack.start();
    for (const name of ['alice', 'bob']) expect((await runCli(['create', name, '--runtime', 'fake'], sb.env)).code).toBe(0);
    // waking bob mints his token
    expect((await runCli(['send', 'bob', '--from', 'fake-alice', '--message', 'wake up'], sb.env)).code).toBe(0);
  });

  afterAll(async () => {
    await runCli(['stop', '--all'], sb.env);
    await stack.stop();
    sb.cleanup();
  });

  it('stores only a hash (0600) and hands the token to the session', () => {
    const token = sessionToken('fake-bob');
    expect(token.length).toBeGreaterThanOrEqual(22);
    const file = sb.paths.peerStateFile('fake-bob', 'token');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(token);
  });

  it('accepts bob with his own token and delivers to alice', async () => {
    const r = await callAs('fake-bob', sessionToken('fake-bob'), 'hello alice, signed');
    expect(r.isError).toBeFalsy();
    await waitFor(() => readFakeTranscript(path.join(sb.paths.peersDir, 'alice')).some((m) => (m.text ?? '').includes('hello alice, signed')), 'the signed message in alice\'s transcript');
  });

  it('refuses bob without a token and with a wrong one; nothing is delivered', async () => {
    for (const token of [undefined, 'forged-token-value-0000000000']) {
      const r = await callAs('fake-bob', token, `spoofed ${token}`);
      expect(r.isError).toBe(true);
      expect(r.content[0].text).toMatch(/token/i);
    }
    const texts = readFakeTranscript(path.join(sb.paths.peersDir, 'alice')).map((m) => m.text ?? '');
    expect(texts.some((t) => t.includes('spoofed'))).toBe(false);
  });

  it("refuses a stale token from bob's previous session after a restart", async () => {
    const old = sessionToken('fake-bob');
    expect((await runCli(['new', 'bob'], sb.env)).code).toBe(0);
    const fresh = sessionToken('fake-bob');
    expect(fresh).not.toBe(old);
    expect((await callAs('fake-bob', old, 'stale')).isError).toBe(true);
    expect((await callAs('fake-bob', fresh, 'fresh and valid')).isError).toBeFalsy();
  });
});
