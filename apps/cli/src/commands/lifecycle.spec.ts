import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createSupervisorRouter, type SupervisorHandlers } from '@iapeer/contracts';
import { serve, type RpcServer } from '@iapeer/rpc';
import { makeSandbox, type Sandbox } from '@iapeer/testing';
import type { CliIO } from '../io';
import { runCli } from '../run-cli';
import { pickAttachRuntime } from './attach';

// The lifecycle verbs against a stub supervisor on the real socket (the supervisor app
// itself is tested in apps/supervisor; an app may not import another app).
describe('lifecycle verbs (stop/start/refresh/new/self-fresh/attach/<runtime>)', () => {
  let sb: Sandbox;
  let server: RpcServer;
  const calls: Array<[string, unknown]> = [];
  const ready = (identity: string) => ({ status: 'READY' as const, identity, personality: identity.split('-').slice(1).join('-'), runtime: identity.split('-')[0], woke: true, taskDelivered: true, mode: 'fresh' as const });
  const handlers: SupervisorHandlers = {
    health: () => ({ name: 'supervisor', version: 't', pid: process.pid, uptimeMs: 0, ready: true, socket: '' }),
    wake: (i) => {
      calls.push(['wake', i]);
      return i.personality === 'ghost' ? { status: 'FAILED', code: 'PEER_NOT_FOUND', reason: 'unknown peer "ghost": not in the iapeer peers index' } : ready(`${i.runtime ?? 'claude'}-${i.personality}`);
    },
    stop: (i) => {
      calls.push(['stop', i]);
      return i.personality === 'legacy'
        ? [{ personality: 'legacy', runtime: 'claude', identity: 'claude-legacy', outcome: 'refused-foreign-launchd', reason: 'a foreign service file sits at com.iapeer.legacy' }]
        : [{ personality: 'bob', runtime: 'claude', identity: 'claude-bob', outcome: 'stopped' }, { personality: 'bob', runtime: 'codex', identity: 'codex-bob', outcome: 'stopped' }];
    },
    start: (i) => (calls.push(['start', i]), [{ personality: 'bob', runtime: 'claude', identity: 'claude-bob', outcome: 'started' }]),
    refresh: (i) => (calls.push(['refresh', i]), [{ personality: 'bob', runtime: 'claude', identity: 'claude-bob', outcome: 'marked' }, { personality: 'tg', runtime: 'telegram', identity: 'telegram-tg', outcome: 'skipped-router' }]),
    markFresh: (i) => (calls.push(['markFresh', i]), { identity: i.identity, marked: true }),
    new: (i) => (calls.push(['new', i]), i.personality === 'boom' ? { status: 'FAILED', code: 'WAKE_FAILED', reason: 'never-became-ready' } : ready(`claude-${i.personality}`)),
    tick: () => ({ outcomes: [], relaunched: [], drained: [] }),
    state: (i) => [
      { identity: `claude-${i.personality}`, personality: i.personality!, runtime: 'claude', status: 'asleep', lastActivityMs: null, deathsInWindow: 0, queueDepth: 0, markers: { session: null, stopped: false, idleReaped: true, newEager: false, freshNext: false, ephemeralArmed: false, topics: [], deaths: [] } },
    ],
    noteTopic: () => ({ changed: false }),
    purge: (i) => ({ personality: i.personality, killed: [], removed: [] }),
    enqueue: (i) => (calls.push(['enqueue', i]), { identity: `${i.runtime}-${i.personality}`, seq: '000001', depth: 1, duplicate: false }),
    arm: (i) => (calls.push(['arm', i]), { identity: i.identity, armed: true, ephemeral: i.identity !== 'claude-bob', quietSecs: 20 }),
    wakePhases: async function* () {
      /* no phases in this stub */
    },
    attachEvent: (i) => (calls.push(['attachEvent', i]), { logged: true }),
    activity: (i) => ({ identity: i.identity, state: 'ready', humans: 0, why: 'stub', at: 0 }),
    activityChanges: async function* () {
      /* no changes in this stub */
    },
  };

  const run = async (args: string[], over: Partial<CliIO> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, env: { ...sb.env }, cwd: sb.dir, ...over };
    const code = await runCli(io, args);
    return { out, err, code };
  };

  beforeAll(async () => {
    sb = makeSandbox();
    fs.mkdirSync(sb.paths.serviceSockDir, { recursive: true, mode: 0o700 });
    server = await serve({ router: createSupervisorRouter(handlers), socketPath: sb.paths.serviceSocket('supervisor') });
  });
  afterAll(async () => {
    await server.close();
    sb.cleanup();
  });
  beforeEach(() => (calls.length = 0));

  it('stop prints one line per runtime; a refused foreign plist exits 1', async () => {
    expect(await run(['stop', 'bob'])).toMatchObject({ code: 0, out: ['bob (claude): stopped', 'bob (codex): stopped'] });
    expect(calls).toEqual([['stop', { personality: 'bob' }]]);
    const refused = await run(['stop', 'legacy']);
    expect(refused).toMatchObject({ code: 1, out: ['legacy (claude): refused-foreign-launchd — a foreign service file sits at com.iapeer.legacy'] });
  });

  it('stop/start take a runtime or --all, and refuse both or neither (usage, exit 2) without calling the service', async () => {
    await run(['start', 'bob', 'claude']);
    await run(['stop', '--all']);
    expect(calls).toEqual([['start', { personality: 'bob', runtime: 'claude' }], ['stop', { all: true }]]);
    calls.length = 0;
    expect((await run(['stop'])).code).toBe(2);
    expect((await run(['start', 'bob', '--all'])).code).toBe(2);
    expect(calls).toEqual([]);
  });

  it('refresh marks fresh-next and reports skipped routers', async () => {
    expect((await run(['refresh', '--all'])).out).toEqual(['bob (claude): fresh on next wake', 'tg (telegram): skipped (router runtime)']);
  });

  it('new exits 0 only when the fresh session is READY', async () => {
    expect(await run(['new', 'bob'])).toMatchObject({ code: 0, out: ['launched claude-bob (fresh)'] });
    const failed = await run(['new', 'boom']);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('iapeer new: never-became-ready');
  });

  it('self-fresh needs a valid PEER_IDENTITY, then marks and reports with §10 wording', async () => {
    const none = await run(['self-fresh']);
    expect(none.code).toBe(1);
    expect(none.err.join('\n')).toContain('iapeer self-fresh: PEER_IDENTITY is not set');
    const invalid = await run(['self-fresh'], { env: { ...sb.env, PEER_IDENTITY: 'nonsense' } });
    expect(invalid.code).toBe(1);
    expect(invalid.err.join('\n')).toContain('iapeer self-fresh: PEER_IDENTITY "nonsense" is invalid');
    expect(calls).toEqual([]);
    const ok = await run(['self-fresh'], { env: { ...sb.env, PEER_IDENTITY: 'claude-bob' } });
    expect(ok).toMatchObject({ code: 0, out: ['self-fresh: marked claude-bob for eager fresh re-launch; self-killing session'] });
    expect(calls).toEqual([['markFresh', { identity: 'claude-bob' }]]);
  });

  it('self-done needs a valid PEER_IDENTITY, then arms it; a non-ephemeral peer gets a warning, exit 0 both', async () => {
    const none = await run(['self-done']);
    expect(none.code).toBe(1);
    expect(none.err.join('\n')).toContain('iapeer self-done: PEER_IDENTITY is not set');
    const invalid = await run(['self-done'], { env: { ...sb.env, PEER_IDENTITY: 'nonsense' } });
    expect(invalid.code).toBe(1);
    expect(invalid.err.join('\n')).toContain('iapeer self-done: PEER_IDENTITY "nonsense" is invalid');
    expect(calls).toEqual([]);
    const ok = await run(['self-done'], { env: { ...sb.env, PEER_IDENTITY: 'claude-w' } });
    expect(ok).toMatchObject({ code: 0, out: ['self-done: claude-w armed; the supervisor ends this session after 20s of quiet'], err: [] });
    const warned = await run(['self-done'], { env: { ...sb.env, PEER_IDENTITY: 'claude-bob' } });
    expect(warned.code).toBe(0);
    expect(warned.err).toEqual(['self-done: warning: "bob" is not an ephemeral peer (its profile has no wake_policy "ephemeral"), so nothing ends its session early']);
    expect(calls).toEqual([
      ['arm', { identity: 'claude-w', origin: 'self-done' }],
      ['arm', { identity: 'claude-bob', origin: 'self-done' }],
    ]);
  });

  it('attach wakes an asleep peer with resume, then runs tmux attach and exits with its code', async () => {
    // the stub's wake does not launch: a real tmux server stands in for the woken session
    fs.mkdirSync(sb.paths.sockDir, { recursive: true, mode: 0o700 });
    const sock = sb.paths.tmuxSocket('claude-bob');
    execFileSync('tmux', ['-S', sock, 'new-session', '-d', '-s', 'claude-bob', 'sleep', '600']);
    try {
      const r = await run(['attach', 'bob']);
      expect(calls).toEqual([
        ['wake', { personality: 'bob', runtime: 'claude', task: '', resume: true, origin: 'attach' }],
        // the attach is bracketed in the lifecycle log by the supervisor (§7.9)
        ['attachEvent', { identity: 'claude-bob', phase: 'start' }],
        ['attachEvent', { identity: 'claude-bob', phase: 'end', code: 1 }],
      ]);
      expect(r.out).toEqual(['woke + attaching claude-bob…']);
      expect(r.code).toBe(1); // tmux's own: "open terminal failed: not a terminal" under Jest
    } finally {
      execFileSync('tmux', ['-S', sock, 'kill-server']);
      fs.rmSync(sock, { force: true });
    }
    const gone = await run(['attach', 'bob']);
    expect(gone.code).toBe(1);
    expect(gone.err.join('\n')).toContain('iapeer attach: claude-bob is not live (no tmux server at');
  });

  it('attach refuses without a terminal before any wake, naming the tmux command to use', async () => {
    const r = await run(['attach', 'bob'], { stdinIsTTY: false });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain('iapeer attach: needs a terminal (stdin is not a TTY); nothing was woken');
    expect(r.err.join('\n')).toContain(`tmux -S ${sb.paths.tmuxSocket('claude-bob')} attach -t =claude-bob`);
    expect(calls).toEqual([]);
  });

  it('attach picks the explicit runtime, else the last active, else the default', () => {
    const rows = [{ runtime: 'claude', lastActivityMs: 5 }, { runtime: 'codex', lastActivityMs: 9 }, { runtime: 'fake', lastActivityMs: null }];
    expect(pickAttachRuntime(rows, 'fake')).toBe('fake');
    expect(pickAttachRuntime(rows)).toBe('codex');
    expect(pickAttachRuntime([{ runtime: 'claude', lastActivityMs: null }])).toBe('claude');
  });

  it('`iapeer <runtime>` launches the folder peer fresh; an unknown word is a usage error', async () => {
    const cwd = path.join(sb.dir, 'My Project');
    fs.mkdirSync(cwd, { recursive: true });
    expect(await run(['claude'], { cwd })).toMatchObject({ code: 0, out: ['launched claude-my-project (fresh)'] });
    expect(calls).toEqual([['wake', { personality: 'my-project', runtime: 'claude', task: '', resume: false, origin: 'folder-launch' }]]);
    const unknown = await run(['frobnicate'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('\n')).toContain("unknown command 'frobnicate'");
    fs.mkdirSync(path.join(sb.paths.runtimesDir, 'fake'), { recursive: true });
    fs.writeFileSync(path.join(sb.paths.runtimesDir, 'fake', 'runtime.json'), '{}');
    expect((await run(['fake'], { cwd })).out).toEqual(['launched fake-my-project (fresh)']);
  });

  it('a folder launch that fails says `iapeer <runtime>: <reason>` and exits 1', async () => {
    const cwd = path.join(sb.dir, 'ghost');
    fs.mkdirSync(cwd, { recursive: true });
    const r = await run(['codex'], { cwd });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain('iapeer codex: unknown peer "ghost"');
  });
});
