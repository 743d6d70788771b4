import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig, resolvePaths } from '@iapeer/core';
import { launch, loadRuntimes } from '@iapeer/runtimes';
import { createTmuxDriver } from '@iapeer/tmux';
import { fakeAgentEnv, installFakeRuntime, makeSandbox, readFakeTranscript, runCli, waitFor, type Sandbox } from '@iapeer/testing';
import { mintSessionToken, revokeSessionToken } from '@iapeer/tokens';

// Issue 9 end to end on the real stack (`iapeer up`): sessions launched the way the
// supervisor must (mint → launch with sessionToken), a CLI send over the socket, MCP
// sends over HTTP with the session's own token, a spoof refused; then every mode under
// the root.
describe('trust on a full run: session tokens end to end, and file modes', () => {
  let sb: Sandbox;
  let driver: ReturnType<typeof createTmuxDriver>;
  const live: string[] = [];
  const work = () => path.join(sb.dir, 'work');
  const cli = (args: string[], cwd?: string) => runCli(['--root', sb.root, ...args], sb.env, { cwd });
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    sb = makeSandbox();
    installFakeRuntime(sb);
    driver = createTmuxDriver({ sockDir: sb.paths.sockDir, baseEnv: sb.env });
    const up = await cli(['up']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
  });
  afterAll(async () => {
    for (const id of live) await driver.kill(id);
    await cli(['down']);
    sb.cleanup();
  });

  it('creates peers: two fake agents outside the root and a claude peer under <root>/peers', async () => {
    for (const name of ['ada', 'bob']) {
      const r = await cli(['create', name, '--runtime', 'fake', '--path', path.join(work(), name)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const carol = await cli(['create', 'carol', '--runtime', 'claude']);
    expect(carol.code).toBe(0);
    expect(fs.existsSync(path.join(sb.paths.peersDir, 'carol', '.mcp.json'))).toBe(true);
  });

  /** What the supervisor must do at spawn: mint, then launch with the token (see docs/notes/trust.md). */
  async function launchFake(name: string): Promise<void> {
    const identity = `fake-${name}`;
    const token = mintSessionToken(sb.paths, identity);
    tokens.set(identity, token);
    if (!live.includes(identity)) live.push(identity);
    const res = await launch({
      // IAPEER_PEER_TOKEN in the base env plays a parent session's token: it must not leak
      spec: { cwd: path.join(work(), name), identity, personality: name, resume: false, sessionToken: token, paneLog: path.join(sb.paths.paneLogDir, `${identity}.log`), env: { ...sb.env, ...fakeAgentEnv(), IAPEER_PEER_TOKEN: 'inherited-from-a-parent' } },
      adapter: loadRuntimes({ paths: sb.paths, env: sb.env }).adapters.get('fake')!,
      tmux: driver,
      cfg: loadConfig(sb.env),
    });
    expect(res.status).toBe('READY');
  }

  it('launches sessions as the supervisor must: mint, then launch with sessionToken; an inherited token is stripped', async () => {
    for (const name of ['ada', 'bob']) {
      await launchFake(name);
      const identity = `fake-${name}`;
      const shown = execFileSync('tmux', ['-S', sb.paths.tmuxSocket(identity), 'show-environment', '-g', 'IAPEER_PEER_TOKEN'], { encoding: 'utf8' });
      expect(shown.trim()).toBe(`IAPEER_PEER_TOKEN=${tokens.get(identity)}`);
    }
  });

  it('a CLI send over the socket needs no token (trusted by socket permissions)', async () => {
    const r = await cli(['send', 'ada', '--from', 'fake-bob', '--message', 'over the socket']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('delivered to ada (fake)\n');
  });

  async function mcpSend(headers: Record<string, string>, personality: string, message: string) {
    const url = JSON.parse(fs.readFileSync(resolvePaths(sb.env).routerJson, 'utf8')).tcp as string;
    const client = new Client({ name: 'full-run', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    try {
      return await client.callTool({ name: 'send_to_peer', arguments: { personality, message } });
    } finally {
      await client.close();
    }
  }
  const adaGot = (text: string) => readFakeTranscript(path.join(work(), 'ada')).some((r) => r.type === 'message' && r.text!.includes(text));

  it("an MCP call with the session's own token lands; the same identity with another session's token is refused", async () => {
    const ok = await mcpSend({ 'X-IAPeer-Identity': 'fake-bob', 'X-IAPeer-Token': tokens.get('fake-bob')! }, 'ada', 'over mcp with my token');
    expect(ok.isError).toBeFalsy();
    await waitFor(() => adaGot('over mcp with my token'), 'the MCP message in ada\'s transcript');

    const spoof = await mcpSend({ 'X-IAPeer-Identity': 'fake-bob', 'X-IAPeer-Token': tokens.get('fake-ada')! }, 'ada', 'spoofed as bob');
    expect(spoof.isError).toBe(true);
    expect((spoof.content as { text: string }[])[0].text).toContain('did not present the token of its live session');
    const bare = await mcpSend({ 'X-IAPeer-Identity': 'fake-bob' }, 'ada', 'no token at all');
    expect(bare.isError).toBe(true);
    expect(adaGot('spoofed as bob') || adaGot('no token at all')).toBe(false);
  });

  it("a token dies with its session: bob's old token is refused once his session is gone, and after a respawn only the new one passes", async () => {
    const old = tokens.get('fake-bob')!;
    await driver.kill('fake-bob'); // the session died; the supervisor has not reaped it yet
    const dead = await mcpSend({ 'X-IAPeer-Identity': 'fake-bob', 'X-IAPeer-Token': old }, 'ada', 'from a dead session');
    expect(dead.isError).toBe(true);
    expect(revokeSessionToken(sb.paths, 'fake-bob', old)).toBe(true); // the reap
    await launchFake('bob'); // a new session, a new token
    const stale = await mcpSend({ 'X-IAPeer-Identity': 'fake-bob', 'X-IAPeer-Token': old }, 'ada', 'stale token');
    expect(stale.isError).toBe(true);
    const fresh = await mcpSend({ 'X-IAPeer-Identity': 'fake-bob', 'X-IAPeer-Token': tokens.get('fake-bob')! }, 'ada', 'fresh token');
    expect(fresh.isError).toBeFalsy();
    await waitFor(() => adaGot('fresh token'), "the fresh-token message in ada's transcript");
    expect(adaGot('from a dead session') || adaGot('stale token')).toBe(false);
  });

  it('modes after the run: every dir 0700, every file and socket 0600 under the root (peer-folder shared files 0644)', () => {
    // documented shared files: project files the peer's own tools read (docs/behaviour.md §3.4, §8.4)
    const carol = path.join(sb.paths.peersDir, 'carol');
    const shared = new Set([path.join(carol, '.mcp.json'), path.join(carol, '.claude', 'settings.local.json'), path.join(carol, '.iapeer', 'peer-profile.json')]);
    const wrong: string[] = [];
    const seen = { dir: 0, file: 0, socket: 0 };
    const walk = (p: string) => {
      const st = fs.lstatSync(p);
      const mode = st.mode & 0o777;
      const kind = st.isDirectory() ? 'dir' : st.isSocket() ? 'socket' : st.isFile() ? 'file' : 'other';
      const want = kind === 'dir' ? 0o700 : shared.has(p) ? 0o644 : 0o600;
      if (kind === 'other' || mode !== want) wrong.push(`${kind} ${mode.toString(8)} (want ${want.toString(8)}) ${path.relative(sb.root, p)}`);
      if (kind !== 'other') seen[kind]++;
      if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    };
    walk(sb.root);
    expect(wrong).toEqual([]);
    expect(fs.lstatSync(sb.paths.tmuxSocket('fake-ada')).isSocket()).toBe(true); // tmux sockets live under this root
    // the run really produced what we meant to check
    expect(seen.socket).toBeGreaterThanOrEqual(4 + 2); // four services, two tmux servers
    for (const f of [sb.paths.routerJson, sb.paths.peersFile, sb.paths.peerStateFile('fake-ada', 'token'), sb.paths.peerStateFile('fake-bob', 'token')]) expect(fs.existsSync(f)).toBe(true);
    for (const s of ['logd', 'registry', 'supervisor', 'router'] as const) expect(fs.lstatSync(sb.paths.serviceSocket(s)).isSocket()).toBe(true);
  });
});
