import fs from 'node:fs';
import path from 'node:path';
import { readServiceManagerJournal, serviceManagerJournalPath } from '@iapeer/servicefiles';
import { installFakeRuntime, makeSandbox, runCli, TestStack, type Sandbox } from '@iapeer/testing';

// The 0.2.98 verbs (docs/behaviour.md §10) through the real binary against the real
// services: version, add-runtime, default-runtime, connect telegram; and the identity
// rules around them: no silent runtime (§2.5), resolveIdentity (§2.1). No network: the
// telegram router peer is a stand-in held by the sandbox's recorded service manager.
const TOKEN = '123456789:AAbbccddeeffgghhiijjkkllmmnnooppqq';
const OTHER = '123456789:ZZbbccddeeffgghhiijjkkllmmnnooppqq';

describe('iapeer version, add-runtime, default-runtime, connect telegram', () => {
  let sb: Sandbox;
  let stack: TestStack;
  const cli = (args: string[], env: Record<string, string> = {}, cwd?: string) => runCli(args, { ...sb.env, ...env }, { cwd });
  const profile = (p: string) => JSON.parse(fs.readFileSync(path.join(sb.paths.peersDir, p, '.iapeer', 'peer-profile.json'), 'utf8'));
  const registered = async (p: string) => (JSON.parse((await cli(['list', '--json'])).stdout) as Array<{ personality: string; default_runtime: string }>).find((r) => r.personality === p);
  const record = (p: string) => stack.client('registry').client.get.query({ personality: p });
  const journal = () => readServiceManagerJournal(serviceManagerJournalPath(sb.paths));

  beforeAll(async () => {
    sb = makeSandbox({ IAPEER_SUPERVISE_INTERVAL_MS: '3600000' });
    installFakeRuntime(sb);
    const standin = path.join(sb.dir, 'telegram-standin');
    fs.writeFileSync(standin, '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    sb.env.TELEGRAM_RUNTIME_BIN = standin;
    stack = new TestStack(sb);
    await stack.start();
    for (const [name, runtime] of [['alpha', 'fake'], ['beta', 'fake'], ['human', 'telegram']]) {
      const r = await cli(['create', name, '--runtime', runtime]);
      expect({ name, code: r.code, stderr: r.stderr }).toEqual({ name, code: 0, stderr: '' });
    }
  }, 60_000);

  afterAll(async () => {
    await stack.stop();
    sb.cleanup();
  });

  it('version prints `iapeer <v>` (the same as -V), --json an object; --help exits 0', async () => {
    const v = (await cli(['-V'])).stdout.trim();
    expect(await cli(['version'])).toMatchObject({ code: 0, stdout: `iapeer ${v}\n`, stderr: '' });
    expect(JSON.parse((await cli(['version', '--json'])).stdout)).toEqual({ version: v });
    for (const verb of [['version'], ['add-runtime'], ['default-runtime'], ['connect', 'telegram']]) {
      const h = await cli([...verb, '--help']);
      expect({ verb, code: h.code, usage: h.stdout.split('\n')[0] }).toEqual({ verb, code: 0, usage: expect.stringContaining(`Usage: iapeer ${verb.join(' ')}`) });
    }
  });

  it('init never falls back to claude: no runtime from anywhere is RUNTIME_UNRESOLVED, exit 1, nothing written; a claude session is a source', async () => {
    const dir = path.join(sb.dir, 'work', 'loner');
    fs.mkdirSync(dir, { recursive: true });
    const r = await cli(['init'], {}, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`iapeer init: no runtime for peer "loner" in ${dir}: pass --runtime <name> (claude, codex, a manifest runtime), set PEER_RUNTIME, or give ${path.join(dir, '.iapeer', 'peer-profile.json')} a default_runtime\n`);
    expect(fs.existsSync(path.join(dir, '.iapeer'))).toBe(false);
    expect(await record('loner')).toBeNull();
    const inClaude = await cli(['init'], { CLAUDECODE: '1' }, dir);
    expect([inClaude.code, inClaude.stdout]).toEqual([0, `initialised peer "loner" (claude) at ${dir}\n`]);
    expect((await cli(['remove', 'loner'])).code).toBe(0);
  });

  it('add-runtime --peer declares a runtime (default kept) through the registry, writes its MCP config; again is a no-op', async () => {
    const r = await cli(['add-runtime', 'codex', '--peer', 'alpha']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'alpha: added codex (runtimes: fake, codex)\n', '']);
    expect(profile('alpha')).toMatchObject({ default_runtime: 'fake', runtimes: ['fake', 'codex'] });
    expect(await record('alpha')).toMatchObject({ default_runtime: 'fake', runtimes: ['fake', 'codex'] });
    expect(fs.readFileSync(path.join(sb.home, '.codex', 'config.toml'), 'utf8')).toContain('[mcp_servers.iapeer]');
    expect(await cli(['add-runtime', 'codex', '--peer', 'alpha'])).toMatchObject({ code: 0, stdout: 'alpha: codex already declared\n' });
  });

  it('add-runtime --all: every agent peer, always-on peers skipped; claude peers get .mcp.json', async () => {
    const r = await cli(['add-runtime', 'claude', '--all']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['alpha: added claude (runtimes: fake, codex, claude)', 'beta: added claude (runtimes: fake, claude)', 'human: skipped (always-on telegram peer)']);
    for (const p of ['alpha', 'beta']) expect(JSON.parse(fs.readFileSync(path.join(sb.paths.peersDir, p, '.mcp.json'), 'utf8')).mcpServers.iapeer).toMatchObject({ type: 'http' });
    expect(fs.existsSync(path.join(sb.paths.peersDir, 'human', '.mcp.json'))).toBe(false);
    expect((await record('human'))!.runtimes).toEqual(['telegram']);
  });

  it('add-runtime / default-runtime refusals: clear message, exit 1 (2 for usage), nothing changed', async () => {
    const before = fs.readFileSync(sb.paths.peersFile, 'utf8');
    const cases: Array<[string[], number, string]> = [
      [['add-runtime', 'codex'], 2, 'iapeer add-runtime: name one peer with --peer <name>, or pass --all (not both)'],
      [['default-runtime', 'codex', '--peer', 'alpha', '--all'], 2, 'iapeer default-runtime: name one peer with --peer <name>, or pass --all (not both)'],
      [['add-runtime', 'codex', '--peer', 'ghost'], 1, 'iapeer add-runtime: peer "ghost" is not registered; check `iapeer list`'],
      [['add-runtime', 'nosuch', '--all'], 1, 'iapeer add-runtime: unknown runtime "nosuch": not built in (claude, codex) and no runtimes/nosuch/runtime.json manifest'],
      [['default-runtime', 'Bad-Rt', '--all'], 1, 'iapeer default-runtime: '],
      [['add-runtime', 'telegram', '--peer', 'alpha'], 1, 'iapeer add-runtime: "telegram" is an always-on runtime'],
      [['default-runtime', 'codex', '--peer', 'human'], 1, 'iapeer default-runtime: peer "human" is an always-on telegram peer'],
    ];
    for (const [argv, code, err] of cases) {
      const r = await cli(argv);
      expect({ argv, code: r.code, err: r.stderr.slice(0, err.length), stdout: r.stdout }).toEqual({ argv, code, err, stdout: '' });
    }
    expect(fs.readFileSync(sb.paths.peersFile, 'utf8')).toBe(before);
  });

  it('default-runtime makes a runtime the default (declaring it when missing); --all skips always-on peers', async () => {
    const one = await cli(['default-runtime', 'codex', '--peer', 'alpha']);
    expect([one.code, one.stdout, one.stderr]).toEqual([0, 'alpha: default codex (runtimes: codex, fake, claude)\n', '']);
    expect(profile('alpha')).toMatchObject({ default_runtime: 'codex', runtime: 'codex', runtimes: ['codex', 'fake', 'claude'] });
    expect((await registered('alpha'))!.default_runtime).toBe('codex');
    const all = await cli(['default-runtime', 'codex', '--all']);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n').filter(Boolean)).toEqual(['alpha: codex is already the default', 'beta: default codex, added (runtimes: codex, fake, claude)', 'human: skipped (always-on telegram peer)']);
    expect(await record('beta')).toMatchObject({ default_runtime: 'codex', runtimes: ['codex', 'fake', 'claude'] });
    // back to the fake agent for the rest of the file
    expect((await cli(['default-runtime', 'fake', '--all'])).code).toBe(0);
  });

  it('connect telegram: token stored 0600, the face set through the registry, the telegram router restarted; the same token is a no-op', async () => {
    const seen = journal().length;
    const r = await cli(['connect', 'telegram', 'alpha', '--token', TOKEN]);
    const envFile = path.join(sb.paths.runtimesDir, 'telegram', 'bots', 'alpha', '.env');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      `telegram bot "alpha": token stored (${envFile})`,
      'alpha: face interfaces.telegram.bot = "alpha"',
      'human (telegram): bootout — service manager skipped in the test sandbox',
      'human (telegram): bootstrap — service manager skipped in the test sandbox',
      'connected alpha to telegram bot "alpha"',
    ]);
    expect(fs.readFileSync(envFile, 'utf8')).toBe(`TELEGRAM_BOT_TOKEN=${TOKEN}\nTELEGRAM_BOT_ALIAS=alpha\n`);
    expect(fs.statSync(envFile).mode & 0o777).toBe(0o600);
    expect((await record('alpha'))!.interfaces).toEqual({ telegram: { bot: 'alpha' } });
    expect(profile('alpha').interfaces).toEqual({ telegram: { bot: 'alpha' } });
    // stop, then start, of the router's job (the sandbox's recorded service manager)
    expect(journal().slice(seen).map((e) => [e.action, e.label])).toEqual([['stop', 'iapeer-peer-human.service'], ['start', 'iapeer-peer-human.service']]);

    const again = await cli(['connect', 'telegram', 'alpha', '--token', TOKEN]);
    expect([again.code, again.stdout]).toEqual([0, 'alpha: already connected to telegram bot "alpha" with this token — no change\n']);
    expect(journal().length).toBe(seen + 2);

    const changed = await cli(['connect', 'telegram', 'alpha', '--token', OTHER]);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('telegram bot "alpha": token changed');
    expect(changed.stdout).not.toContain('face');
    expect(fs.readFileSync(envFile, 'utf8')).toContain(`TELEGRAM_BOT_TOKEN=${OTHER}\n`);
    expect(journal().slice(seen + 2).map((e) => e.action)).toEqual(['stop', 'start']);
  });

  it('connect telegram refusals: bad token (never echoed), unknown peer, no token off a terminal; nothing changed', async () => {
    const bots = path.join(sb.paths.runtimesDir, 'telegram', 'bots');
    const bad = await cli(['connect', 'telegram', 'beta', '--token', 'abc:short-secret']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^iapeer connect telegram: that is not a Telegram bot token \(16 characters;/);
    expect(bad.stderr).not.toContain('short-secret');
    expect(await cli(['connect', 'telegram', 'ghost', '--token', TOKEN])).toMatchObject({ code: 1, stderr: 'iapeer connect telegram: peer "ghost" is not registered; check `iapeer list`\n' });
    expect(await cli(['connect', 'telegram', 'beta'])).toMatchObject({ code: 2, stderr: 'iapeer connect telegram: no --token given and no terminal to ask on; pass --token <bot token from @BotFather>\n' });
    expect(fs.existsSync(path.join(bots, 'beta'))).toBe(false);
    expect((await record('beta'))!.interfaces).toBeUndefined();
  });

  it('send without --from checks the session identity (resolveIdentity): another peer\'s session in this folder is refused', async () => {
    const alphaDir = path.join(sb.paths.peersDir, 'alpha');
    const r = await cli(['send', 'beta', '--message', 'hi'], { PEER_IDENTITY: 'fake-beta', PEER_RUNTIME: 'fake', PEER_PERSONALITY: 'beta' }, alphaDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`iapeer send: this session is peer "beta" but ${path.join(alphaDir, '.iapeer', 'peer-profile.json')} is peer "alpha"; refusing to send in another peer's name — run it from "beta"'s folder or pass --from\n`);
    const split = await cli(['send', 'beta', '--message', 'hi'], { PEER_IDENTITY: 'fake-alpha', PEER_RUNTIME: 'claude', PEER_PERSONALITY: 'alpha' }, alphaDir);
    expect([split.code, split.stderr]).toEqual([1, expect.stringMatching(/^iapeer send: PEER_IDENTITY=fake-alpha is not PEER_RUNTIME-PEER_PERSONALITY \(claude-alpha\)/)]);
  });
});
