import { FakeWorld } from '../test/fake-world';
import { createSupervisor } from './supervisor';
import { superviseTick } from './tick';

describe('superviseTick (§7.6)', () => {
  let w: FakeWorld;
  beforeEach(() => {
    w = new FakeWorld();
    for (const p of ['amy', 'bob', 'cat', 'dan']) w.addPeer({ personality: p });
  });
  afterEach(() => w.cleanup());

  it('H4: a launchd-managed peer is skipped first, never reaped, and logged only when verbose', async () => {
    w.enrol('claude-amy', { live: false });
    w.managed.set('amy', 'ours');
    expect(await superviseTick(w.deps())).toEqual([{ identity: 'claude-amy', action: 'skipped-launchd', reason: 'held by the service manager' }]);
    expect(w.markers.readSession('claude-amy')).not.toBeNull();
    expect(w.markers.readDeaths('claude-amy')).toEqual([]);
    expect(w.events.lines).toHaveLength(0);
    w.config.superviseLogVerbose = true;
    await superviseTick(w.deps());
    expect(w.events.rendered()).toEqual(['ev=supervise identity=claude-amy action=skipped-launchd reason="held by the service manager"']);
  });

  it('dead + stopped: .session dropped, park ensured, skipped-stopped, and no death recorded', async () => {
    w.enrol('claude-bob', { live: false });
    w.markers.set('claude-bob', 'stopped', new Date());
    const [o] = await superviseTick(w.deps());
    expect(o.action).toBe('skipped-stopped');
    expect(w.markers.readSession('claude-bob')).toBeNull();
    expect(w.markers.has('claude-bob', 'idle-reaped')).toBe(true);
    expect(w.markers.readDeaths('claude-bob')).toEqual([]);
    expect(w.events.rendered()).toEqual(['ev=supervise identity=claude-bob action=skipped-stopped reason="stopped by the operator" age=0s']);
  });

  it('dead, not stopped: the death is recorded, .session removed, reaped-gone with the death class; no park, so the next wake is fresh', async () => {
    w.enrol('claude-bob', { live: false, wokeAtMs: w.now - 4230_000 });
    w.gone.set('claude-bob', 'server-dead');
    const [o] = await superviseTick(w.deps());
    expect(o).toEqual({ identity: 'claude-bob', action: 'reaped-gone', reason: 'session no longer live', death: 'server-dead', age: 4230, outcome: 'fresh-next-msg' });
    expect(w.events.rendered('supervise')).toEqual(['ev=supervise identity=claude-bob action=reaped-gone reason="session no longer live" death=server-dead age=4230s outcome=fresh-next-msg']);
    expect(w.markers.readDeaths('claude-bob')).toEqual([w.now]);
    expect(w.markers.readSession('claude-bob')).toBeNull();
    expect(w.markers.has('claude-bob', 'idle-reaped')).toBe(false);
    // the dead pane (remain-on-exit) is cleared once classified, so no tmux server lingers
    expect(w.kills).toEqual(['claude-bob']);
    // no pane-died record: the server died with its session (the canary, exits.log)
    expect(w.events.lines.filter((l) => l.log === 'exits').map((l) => l.fields.ev)).toEqual(['server-exit']);
  });

  it('a supervisor that dies while classifying a death leaves .session: the next pass records and logs it (never a death without its line)', async () => {
    w.enrol('claude-bob', { live: false });
    const deps = w.deps();
    // the pass dies in the slow part (the class of the death, the wait for its exit record)
    const [failed] = await superviseTick({ ...deps, liveness: { ...deps.liveness, classifyGone: () => Promise.reject(new Error('killed mid-pass')) } });
    expect(failed).toEqual({ identity: 'claude-bob', action: 'skipped-error', reason: 'killed mid-pass' });
    expect(w.markers.readSession('claude-bob')).not.toBeNull();
    expect(w.markers.readDeaths('claude-bob')).toEqual([]);
    const [o] = await superviseTick(w.deps());
    expect(o).toMatchObject({ identity: 'claude-bob', action: 'reaped-gone' });
    expect(w.markers.readDeaths('claude-bob')).toHaveLength(1);
    expect(w.markers.readSession('claude-bob')).toBeNull();
  });

  it('dead with .new-eager: needs-eager-fresh, the marker left for the relauncher', async () => {
    w.enrol('claude-bob', { live: false });
    w.markers.set('claude-bob', 'new-eager', new Date());
    const [o] = await superviseTick(w.deps());
    expect(o).toMatchObject({ action: 'needs-eager-fresh' });
    expect(w.markers.has('claude-bob', 'new-eager')).toBe(true);
    expect(w.markers.readDeaths('claude-bob')).toEqual([w.now]);
  });

  it('alive and idle past IAPEER_IDLE_SECS: parked (.idle-reaped) before the kill, .session removed, reaped-idle', async () => {
    w.enrol('claude-bob', { wokeAtMs: w.now - 7200_000 });
    w.activity.set('claude-bob', w.now - 3601_000);
    let parkedAtKill = false;
    w.onKill = (id) => (parkedAtKill = w.markers.has(id, 'idle-reaped'));
    const [o] = await superviseTick(w.deps());
    expect(o).toEqual({ identity: 'claude-bob', action: 'reaped-idle', reason: 'idle 3601s > 3600s', age: 3601, outcome: 'resume-eligible' });
    expect(parkedAtKill).toBe(true);
    expect(w.kills).toEqual(['claude-bob']);
    expect(w.markers.readSession('claude-bob')).toBeNull();
    expect(w.markers.readDeaths('claude-bob')).toEqual([]);
    expect(w.events.rendered()).toEqual(['ev=supervise identity=claude-bob action=reaped-idle reason="idle 3601s > 3600s" age=3601s outcome=resume-eligible']);
  });

  it('alive and recently active: alive, nothing changes; a null activity proxy falls back to wokeAt', async () => {
    w.enrol('claude-bob', { wokeAtMs: w.now - 7200_000 });
    w.activity.set('claude-bob', w.now - 10_000);
    w.enrol('claude-cat', { wokeAtMs: w.now - 100_000 });
    w.enrol('claude-dan', { wokeAtMs: w.now - 4000_000 }); // no proxy: wokeAt is the activity
    const out = await superviseTick(w.deps());
    expect(out.map((o) => [o.identity, o.action, o.age])).toEqual([
      ['claude-bob', 'alive', 10],
      ['claude-cat', 'alive', 100],
      ['claude-dan', 'reaped-idle', 4000],
    ]);
    expect(w.events.rendered()).toHaveLength(1);
  });

  it('an activity older than wokeAt does not make a just-woken session idle', async () => {
    w.enrol('claude-bob', { wokeAtMs: w.now - 5_000 });
    w.activity.set('claude-bob', w.now - 9_000_000);
    expect((await superviseTick(w.deps()))[0]).toMatchObject({ action: 'alive', age: 5 });
  });

  it('isolates each peer: one error is skipped-error and the pass goes on', async () => {
    w.enrol('claude-amy', { live: false });
    w.enrol('claude-bob');
    w.enrol('claude-cat', { live: false });
    w.failingIsAlive.add('claude-bob');
    const out = await superviseTick(w.deps());
    expect(out.map((o) => o.action)).toEqual(['reaped-gone', 'skipped-error', 'reaped-gone']);
    // sessions are evaluated concurrently, so lines arrive in completion order
    expect(w.events.rendered()).toContain('ev=supervise identity=claude-bob action=skipped-error reason="tmux exploded for claude-bob"');
  });

  it('the eager relaunch clears .new-eager first, then wakes fresh with the registry default runtime and initial_prompt', async () => {
    const bob = w.peers.get('bob')!;
    bob.runtimes = ['claude', 'codex'];
    bob.default_runtime = 'codex'; // the fleet was switched to codex after bob's claude session started
    bob.initialPrompt = 'SEED';
    w.enrol('claude-bob', { live: false });
    w.markers.set('claude-bob', 'new-eager', new Date());
    const sup = createSupervisor(w.deps());
    const report = await sup.tick();
    expect(report.relaunched).toEqual([{ identity: 'claude-bob', result: expect.objectContaining({ status: 'READY', identity: 'codex-bob', mode: 'fresh', cause: 'folder-launch' }) }]);
    expect(w.markers.has('claude-bob', 'new-eager')).toBe(false);
    expect(w.launches[0]).toMatchObject({ firstMessage: 'SEED', spec: { identity: 'codex-bob', resume: false } });
    expect(w.events.rendered()).toEqual([
      'ev=supervise identity=claude-bob action=needs-eager-fresh reason="self-fresh requested" age=0s outcome=eager-relaunch',
      'ev=wake personality=bob identity=codex-bob runtime=codex mode=fresh cause=folder-launch origin=eager-relaunch',
      'ev=wake personality=bob identity=codex-bob runtime=codex mode=fresh cause=folder-launch origin=eager-relaunch outcome=ready',
    ]);
  });

  it('overlapping tick calls share one pass (single-flight)', async () => {
    w.enrol('claude-bob', { live: false });
    const sup = createSupervisor(w.deps());
    const [a, b] = await Promise.all([sup.tick(), sup.tick()]);
    expect(a).toBe(b);
    expect(w.markers.readDeaths('claude-bob')).toHaveLength(1);
  });
});
