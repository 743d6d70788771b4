import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeSandbox, runCli, TestStack, type Sandbox } from '@iapeer/testing';

const readJson = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));

// init / create / list / remove / verify through the real binary against a real registry process.
describe('iapeer init, create, list, remove, verify', () => {
  let sb: Sandbox;
  let stack: TestStack;
  let port: string;
  const cli = (args: string[], extra: Record<string, string> = {}, cwd?: string) => runCli(args, { ...sb.env, IAPEER_PORT: port, ...extra }, { cwd });
  const tmuxSockets: string[] = [];

  beforeAll(async () => {
    sb = makeSandbox();
    port = String(20000 + (process.pid % 20000)); // only written into .mcp.json, never listened on
    stack = new TestStack(sb);
    await stack.start(['registry']);
  });
  afterAll(async () => {
    for (const sock of tmuxSockets) {
      try {
        execFileSync('tmux', ['-S', sock, 'kill-server'], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    await stack.stop();
    sb.cleanup();
  });

  it('list on an empty registry prints "no peers registered"', async () => {
    const r = await cli(['list']);
    expect(r).toMatchObject({ code: 0, stdout: 'no peers registered\n', stderr: '' });
    expect(JSON.parse((await cli(['list', '--json'])).stdout)).toEqual([]);
  });

  it('init makes the cwd a claude peer: profile, scaffold, record, .mcp.json and settings.local.json', async () => {
    const cwd = path.join(sb.dir, 'work', 'Code Reviewer');
    fs.mkdirSync(path.join(cwd, '.claude'), { recursive: true });
    fs.writeFileSync(path.join(cwd, '.claude', 'settings.local.json'), JSON.stringify({ enabledMcpjsonServers: ['other'], theme: 'dark' }));
    fs.writeFileSync(path.join(cwd, '.mcp.json'), JSON.stringify({ mcpServers: { other: { type: 'stdio', command: 'x' } } }));
    const r = await cli(['init', '--runtime', 'claude', '--description', 'reviews code'], { PEER_IDENTITY: '', PEER_RUNTIME: '' }, cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`initialised peer "code-reviewer" (claude) at ${cwd}\n`);
    expect(readJson(path.join(cwd, '.iapeer', 'peer-profile.json'))).toMatchObject({ personality: 'code-reviewer', default_runtime: 'claude', description: 'reviews code', intelligence: 'artificial' });
    const mcp = readJson(path.join(cwd, '.mcp.json'));
    expect(mcp.mcpServers.other).toEqual({ type: 'stdio', command: 'x' });
    expect(mcp.mcpServers.iapeer).toMatchObject({ type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { 'X-IAPeer-Identity': '${PEER_IDENTITY:-claude-code-reviewer}', 'X-IAPeer-Token': '${IAPEER_PEER_TOKEN:-}' } });
    expect(fs.statSync(path.join(cwd, '.mcp.json')).mode & 0o777).toBe(0o644);
    expect(readJson(path.join(cwd, '.claude', 'settings.local.json'))).toEqual({ enabledMcpjsonServers: ['other', 'iapeer'], theme: 'dark' });
    expect(readJson(sb.paths.peersFile).peers[0]).toMatchObject({ personality: 'code-reviewer', cwd });
  });

  it('init of a folder whose name is not a valid peer name fails with what to do (exit 1)', async () => {
    const cwd = path.join(sb.dir, 'work', '2fast');
    fs.mkdirSync(cwd, { recursive: true });
    const r = await cli(['init', cwd]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the folder name "2fast" normalizes to "2fast", which is not a valid peer name');
    expect(r.stderr).toContain('create ' + path.join(cwd, '.iapeer', 'peer-profile.json') + ' explicitly');
  });

  it('create makes <root>/peers/<name> and ignores the ambient PEER_* identity', async () => {
    const r = await cli(['create', 'scribe', '--runtime', 'codex', '--intelligence', 'artificial', '--description', 'writes'], { PEER_IDENTITY: 'claude-code-reviewer', PEER_RUNTIME: 'claude' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`created peer "scribe" (codex) at ${path.join(sb.paths.peersDir, 'scribe')}\n`);
    const profile = readJson(path.join(sb.paths.peersDir, 'scribe', '.iapeer', 'peer-profile.json'));
    expect(profile).toMatchObject({ personality: 'scribe', default_runtime: 'codex', runtimes: ['codex'] });
    expect(fs.existsSync(path.join(sb.paths.peersDir, 'scribe', '.mcp.json'))).toBe(false);
    // codex peers get the host-wide ~/.codex/config.toml block, once
    const toml = fs.readFileSync(path.join(sb.home, '.codex', 'config.toml'), 'utf8');
    expect(toml).toBe(
      [
        'check_for_update_on_startup = false',
        '',
        '[mcp_servers.iapeer]',
        `url = "http://127.0.0.1:${port}/mcp"`,
        'default_tools_approval_mode = "approve"',
        'bearer_token_env_var = "IAPEER_BEARER"',
        '',
        '[mcp_servers.iapeer.env_http_headers]',
        '"X-IAPeer-Identity" = "PEER_IDENTITY"',
        '"X-IAPeer-Token" = "IAPEER_PEER_TOKEN"',
        '',
      ].join('\n'),
    );
    expect((await cli(['create', 'scribe', '--runtime', 'codex'])).code).toBe(0);
    expect(fs.readFileSync(path.join(sb.home, '.codex', 'config.toml'), 'utf8')).toBe(toml);
  });

  it('create refuses a folder holding a different peer, and a --path that does not match the name', async () => {
    const taken = await cli(['create', 'scribe2', '--path', path.join(sb.dir, 'work', 'Code Reviewer')]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('normalizes to "code-reviewer", not "scribe2"');
    const other = path.join(sb.dir, 'x', 'scribe');
    fs.mkdirSync(path.join(other, '.iapeer'), { recursive: true });
    fs.writeFileSync(path.join(other, '.iapeer', 'peer-profile.json'), JSON.stringify({ personality: 'scribe', default_runtime: 'codex' }));
    const dup = await cli(['create', 'scribe', '--path', other]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain(`peer name "scribe" is already owned by ${path.join(sb.paths.peersDir, 'scribe')}`);
    const bad = await cli(['create', 'Bad']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('invalid peer name "Bad"');
    const intel = await cli(['create', 'robo', '--intelligence', 'robot']);
    expect(intel.code).toBe(1);
    expect(intel.stderr).toContain('unknown intelligence "robot"');
    expect(fs.existsSync(path.join(sb.paths.peersDir, 'robo', '.iapeer', 'peer-profile.json'))).toBe(false);
  });

  it('list shows markers per runtime: ● live (tmux session), ✕ stopped, ○ asleep; --json rows', async () => {
    const sock = sb.paths.tmuxSocket('claude-code-reviewer');
    fs.mkdirSync(path.dirname(sock), { recursive: true });
    tmuxSockets.push(sock);
    execFileSync('tmux', ['-S', sock, 'new-session', '-d', '-s', 'claude-code-reviewer', 'sleep 600']);
    fs.mkdirSync(sb.paths.lifecycleDir, { recursive: true });
    fs.writeFileSync(sb.paths.peerStateFile('codex-scribe', 'stopped'), '2026-01-01T00:00:00.000Z\n');
    const cwd = path.join(sb.dir, 'work', 'Code Reviewer');
    await stack.client('registry').client.upsert.mutate({ personality: 'code-reviewer', runtime: 'claude', runtimes: ['codex'], cwd });
    fs.mkdirSync(sb.paths.paneLogDir, { recursive: true });
    fs.writeFileSync(path.join(sb.paths.paneLogDir, 'claude-code-reviewer.log'), 'pane bytes');
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ['code-reviewer  [claude]  artificial  ● claude  ○ codex  last-active:claude', 'scribe         [codex]  artificial  ✕ codex', ''].join('\n'),
    );
    const rows = JSON.parse((await cli(['list', '--json'])).stdout);
    expect(rows[0]).toEqual({
      personality: 'code-reviewer',
      default_runtime: 'claude',
      last_active_runtime: 'claude',
      intelligence: 'artificial',
      description: 'reviews code',
      cwd,
      runtimes: [{ runtime: 'claude', status: 'live' }, { runtime: 'codex', status: 'asleep' }],
    });
    expect(rows[1].runtimes).toEqual([{ runtime: 'codex', status: 'stopped' }]);
  });

  it('remove: absent is a no-op (exit 0), live is refused (exit 1), --force unregisters, then the supervisor kills and purges', async () => {
    // the supervisor owns the sessions and state/lifecycle/: remove asks it to purge, so
    // without it remove refuses before anything changes
    const noSupervisor = await cli(['remove', 'scribe']);
    expect(noSupervisor.code).toBe(1);
    expect(noSupervisor.stderr).toContain('supervisor');
    expect(readJson(sb.paths.peersFile).peers.map((p: { personality: string }) => p.personality)).toContain('scribe');
    expect(fs.existsSync(sb.paths.peerStateFile('codex-scribe', 'stopped'))).toBe(true);
    await stack.start(['supervisor']);
    const absent = await cli(['remove', 'nobody']);
    expect(absent).toMatchObject({ code: 0, stdout: '"nobody" not registered — no-op\n' });
    const refused = await cli(['remove', 'code-reviewer']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('iapeer remove: "code-reviewer" is LIVE on claude — removing it would orphan a running session; stop it first (`iapeer stop code-reviewer`) or pass --force\n');
    expect(readJson(sb.paths.peersFile).peers.map((p: { personality: string }) => p.personality)).toContain('code-reviewer');

    for (const f of ['claude-code-reviewer.stopped', 'claude-code-reviewer.session', 'codex-code-reviewer.deaths', 'claude-code-reviewer2.stopped', 'claude-code-reviewer-x.stopped']) {
      fs.writeFileSync(path.join(sb.paths.lifecycleDir, f), 'x');
    }
    fs.mkdirSync(path.join(sb.paths.lifecycleDir, 'claude-code-reviewer.queue'));
    const forced = await cli(['remove', 'code-reviewer', '--force']);
    expect(forced).toMatchObject({
      code: 0,
      stdout: 'removed "code-reviewer" from the registry\npurged "code-reviewer": killed claude-code-reviewer; removed 4 lifecycle files\n',
    });
    expect(() => execFileSync('tmux', ['-S', sb.paths.tmuxSocket('claude-code-reviewer'), 'has-session'], { stdio: 'ignore' })).toThrow();
    expect(fs.readdirSync(sb.paths.lifecycleDir).sort()).toEqual(['claude-code-reviewer-x.stopped', 'claude-code-reviewer2.stopped', 'codex-scribe.stopped']);
    expect(fs.existsSync(path.join(sb.dir, 'work', 'Code Reviewer', '.iapeer', 'peer-profile.json'))).toBe(true);
    const again = await cli(['remove', 'code-reviewer']);
    expect(again).toMatchObject({ code: 0, stdout: '"code-reviewer" not registered — no-op\n' });
    const plain = await cli(['remove', 'scribe']);
    expect(plain).toMatchObject({ code: 0, stdout: 'removed "scribe" from the registry\npurged "scribe": removed 1 lifecycle file\n' });
    expect(fs.existsSync(sb.paths.peerStateFile('codex-scribe', 'stopped'))).toBe(false);
  });

  it('verify reports drift (exit 1) and --fix rebuilds from the profiles (exit 0)', async () => {
    // both peers were removed but their folders keep their profiles: a healthy registry is
    // not "drifting" from them (verify --fix must not resurrect a removed peer)
    const cwd = path.join(sb.dir, 'work', 'Code Reviewer');
    const v = await cli(['verify', '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toEqual({ ok: true, corrupt: null, drift: [], peers: 0 });
    const r = await runCli(['init', cwd], { ...sb.env, IAPEER_PORT: port });
    expect(r.code).toBe(0);
    const profile = readJson(path.join(cwd, '.iapeer', 'peer-profile.json'));
    fs.writeFileSync(path.join(cwd, '.iapeer', 'peer-profile.json'), JSON.stringify({ ...profile, description: 'edited by hand' }));
    const drift = await cli(['verify']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toBe(`  code-reviewer: differs (description) at ${cwd}\n`);
    const fixed = await cli(['verify', '--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('rebuilt from profiles: updated code-reviewer');
    expect((await cli(['verify'])).stdout).toBe('registry and profiles agree (1 peers)\n');
  });

  it('verify --fix rebuilds a corrupt registry; list warns about corruption but answers', async () => {
    fs.writeFileSync(sb.paths.peersFile, '{"version":2,"peers":[{"personality":"code-reviewer","cwd":"' + path.join(sb.dir, 'work', 'Code Reviewer') + '"');
    const listed = await cli(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain('is corrupt');
    expect((await cli(['verify'])).code).toBe(1);
    const fixed = await cli(['verify', '--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/saved the corrupt file as .*peers-profiles\.json\.corrupt-.*\.bak/);
    // a corrupt file is rebuilt from every source (salvaged text, memory, the previous generation,
    // <root>/peers/*): code-reviewer comes back; scribe, removed above, keeps its folder under
    // <root>/peers/ but has a tombstone, so it does not
    expect(fixed.stdout).toContain('rebuilt from profiles: added code-reviewer\n');
    expect(readJson(sb.paths.peersFile).peers.map((p: { personality: string }) => p.personality)).toEqual(['code-reviewer']);
    expect(fs.existsSync(path.join(sb.paths.peersDir, 'scribe', '.iapeer', 'peer-profile.json'))).toBe(true);
  });

  it('a verb whose service is down fails with the service named (exit 1)', async () => {
    await stack.kill('registry', 'SIGTERM');
    const r = await cli(['list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the registry service is not answering');
  });
});
