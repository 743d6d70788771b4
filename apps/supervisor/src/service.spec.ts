import fs from 'node:fs';
import pino from 'pino';
import type { SupervisorRouter } from '@iapeer/contracts';
import { connect, iapeerCodeOf, startService, type RunningService } from '@iapeer/rpc';
import { makeSandbox, waitFor, type Sandbox } from '@iapeer/testing';
import { createTmuxDriver } from '@iapeer/tmux';
import { MarkerStore } from './core/markers';
import { buildSupervisorService } from './service';
import { FakeWorld } from './test/fake-world';
import { killAllServers, spawnSleeper } from './test/real-tmux';

// The service over its real socket: fake registry/launcher/adapters (their libs are on
// other branches), real markers, and real tmux for liveness where it matters.
describe('supervisor service over its socket', () => {
  let sb: Sandbox;
  let w: FakeWorld;
  let running: RunningService | undefined;
  const start = async (over: Partial<Parameters<typeof buildSupervisorService>[1]> = {}) => {
    const d = w.deps();
    running = await startService({
      name: 'supervisor',
      env: sb.env,
      logger: pino({ level: 'silent' }),
      build: (ctx) => buildSupervisorService(ctx, { timer: false, ports: { directory: d.directory, liveness: d.liveness, launcher: d.launcher, adapters: d.adapters, activity: d.activity, serviceManager: d.serviceManager, events: d.events, clock: d.clock, hostFacts: d.hostFacts }, ...over }),
    });
    return connect<SupervisorRouter>({ service: 'supervisor', socketPath: sb.paths.serviceSocket('supervisor') });
  };
  beforeEach(() => {
    sb = makeSandbox();
    w = new FakeWorld();
    w.addPeer({ personality: 'bob', runtimes: ['claude', 'codex'] });
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    killAllServers(sb.paths);
    sb.cleanup();
    w.cleanup();
  });

  it('wake, state, stop, start, refresh, markFresh, tick and new answer with their contract shapes', async () => {
    const { client, close } = await start();
    expect(await client.wake.mutate({ personality: 'bob', topic: 't', task: 'hi' })).toMatchObject({ status: 'READY', identity: 'claude-bob', woke: true });
    const [st] = await client.state.query({ personality: 'bob' });
    expect(st).toMatchObject({ identity: 'claude-bob', status: 'live', markers: { topics: ['t'] } });
    expect(fs.existsSync(`${sb.paths.lifecycleDir}/claude-bob.session`)).toBe(true);
    expect(await client.stop.mutate({ personality: 'bob', runtime: 'claude' })).toEqual([{ personality: 'bob', runtime: 'claude', identity: 'claude-bob', outcome: 'stopped' }]);
    expect(await client.wake.mutate({ personality: 'bob', task: 'x' })).toMatchObject({ status: 'FAILED', code: 'PEER_STOPPED', stopped: true });
    expect(await client.start.mutate({ personality: 'bob', runtime: 'claude' })).toEqual([expect.objectContaining({ outcome: 'started' })]);
    expect((await client.refresh.mutate({ all: true })).map((r) => r.outcome)).toEqual(['marked', 'marked']);
    await client.wake.mutate({ personality: 'bob', task: 'x' });
    expect(await client.markFresh.mutate({ identity: 'claude-bob' })).toEqual({ identity: 'claude-bob', marked: true });
    await waitFor(() => !w.live.has('claude-bob'), 'the self-fresh kill');
    const tick = await client.tick.mutate();
    expect(tick.outcomes).toEqual([expect.objectContaining({ identity: 'claude-bob', action: 'needs-eager-fresh' })]);
    expect(tick.relaunched[0].result).toMatchObject({ status: 'READY', mode: 'fresh' });
    expect(await client.new.mutate({ personality: 'bob' })).toMatchObject({ status: 'READY', mode: 'fresh' });
    expect(await client.noteTopic.mutate({ identity: 'claude-bob', topic: 'later' })).toEqual({ changed: true });
    close();
  });

  it('bad input is a typed error and changes nothing', async () => {
    const { client, close } = await start();
    const err = await client.wake.mutate({ personality: 'Bad Name' } as any).catch((e) => e);
    expect(iapeerCodeOf(err)).toBe('INVALID_INPUT');
    const unknown = await client.stop.mutate({ personality: 'ghost' }).catch((e) => e);
    expect(iapeerCodeOf(unknown)).toBe('PEER_NOT_FOUND');
    expect(unknown.message).toContain('unknown peer "ghost"');
    expect(fs.existsSync(sb.paths.lifecycleDir) ? fs.readdirSync(sb.paths.lifecycleDir) : []).toEqual([]);
    close();
  });

  it('purge over the socket: a bad name and a registered peer are typed refusals that change nothing; an unregistered peer is purged', async () => {
    const { client, close } = await start();
    await client.wake.mutate({ personality: 'bob', task: 'hi' });
    const before = fs.readdirSync(sb.paths.lifecycleDir).sort();
    expect(iapeerCodeOf(await client.purge.mutate({ personality: '../bob' }).catch((e) => e))).toBe('INVALID_INPUT');
    const registered = await client.purge.mutate({ personality: 'bob' }).catch((e) => e);
    expect(iapeerCodeOf(registered)).toBe('PEER_STILL_REGISTERED');
    expect(registered.message).toContain('"bob" is still registered');
    expect(fs.readdirSync(sb.paths.lifecycleDir).sort()).toEqual(before);
    expect(w.live.has('claude-bob')).toBe(true);
    w.peers.delete('bob');
    const r = await client.purge.mutate({ personality: 'bob' });
    expect(r).toMatchObject({ personality: 'bob', killed: ['claude-bob'] });
    expect(r.removed).toEqual(expect.arrayContaining(['claude-bob.session']));
    expect(fs.readdirSync(sb.paths.lifecycleDir).filter((n) => n.startsWith('claude-bob.'))).toEqual([]);
    close();
  });

  it('streams launch phases to a wakePhases subscriber', async () => {
    const d = w.deps();
    const launcher = {
      launch: async (spec: any, adapter: any, first: string, o?: { onPhase?: (p: any) => void }) => {
        for (const p of ['booting', 'answering-dialogs', 'delivering'] as const) o?.onPhase?.(p);
        return d.launcher.launch(spec, adapter, first);
      },
    };
    const { client, close } = await start({ ports: { directory: d.directory, liveness: d.liveness, launcher, adapters: d.adapters, activity: d.activity, serviceManager: d.serviceManager, events: d.events, clock: d.clock, hostFacts: d.hostFacts } });
    const seen: string[] = [];
    let started = false;
    const sub = client.wakePhases.subscribe({ identity: 'claude-bob' }, { onStarted: () => (started = true), onData: (ev) => seen.push(ev.phase) });
    await waitFor(() => started, 'the subscription to start');
    await client.wake.mutate({ personality: 'bob', task: 'x' });
    await waitFor(() => seen.length === 3, 'three phases');
    expect(seen).toEqual(['booting', 'answering-dialogs', 'delivering']);
    sub.unsubscribe();
    close();
  });

  it('after a restart, live tmux sessions are re-adopted from their markers (and a lost marker) and reaped when idle', async () => {
    const tmux = createTmuxDriver({ sockDir: sb.paths.sockDir, baseEnv: sb.env });
    w.addPeer({ personality: 'amy' });
    spawnSleeper(sb.paths, 'claude-bob');
    spawnSleeper(sb.paths, 'claude-amy');
    const d = w.deps();
    const ports = { directory: d.directory, liveness: tmux, launcher: d.launcher, adapters: d.adapters, activity: d.activity, serviceManager: d.serviceManager, events: d.events, clock: d.clock, hostFacts: d.hostFacts };
    // the previous supervisor enrolled bob, then died before writing amy's marker
    const first = await start({ ports });
    first.close();
    new MarkerStore(sb.paths.lifecycleDir).writeSession({ identity: 'claude-bob', runtime: 'claude', personality: 'bob', cwd: w.peers.get('bob')!.cwd, wokeAt: new Date(w.now).toISOString() });
    await running!.stop();
    running = undefined;
    const { client, close } = await start({ ports, timer: true });
    await waitFor(() => fs.existsSync(`${sb.paths.lifecycleDir}/claude-amy.session`), 'amy re-adopted');
    const state = await client.state.query();
    expect(state.map((s) => [s.identity, s.status, Boolean(s.markers.session)])).toEqual([
      ['claude-amy', 'live', true],
      ['claude-bob', 'live', true],
    ]);
    w.now += 3601_000;
    const tick = await client.tick.mutate();
    expect(tick.outcomes.map((o) => `${o.identity}:${o.action}`).sort()).toEqual(['claude-amy:reaped-idle', 'claude-bob:reaped-idle']);
    expect(await tmux.listLive()).toEqual([]);
    close();
  });
});
