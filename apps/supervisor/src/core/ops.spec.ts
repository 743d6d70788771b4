import { FakeWorld } from '../test/fake-world';
import { createSupervisor } from './supervisor';

describe('operator operations (§10)', () => {
  let w: FakeWorld;
  beforeEach(() => {
    w = new FakeWorld();
    w.addPeer({ personality: 'bob', runtimes: ['claude', 'codex'] });
    w.addPeer({ personality: 'amy' });
  });
  afterEach(() => w.cleanup());

  it('stop is durable and parks before the kill; the stopped peer is then never woken', async () => {
    w.enrol('claude-bob');
    const order: string[] = [];
    w.onKill = (id) => order.push(`kill stopped=${w.markers.has(id, 'stopped')} parked=${w.markers.has(id, 'idle-reaped')}`);
    const sup = createSupervisor(w.deps());
    expect(await sup.stop({ personality: 'bob', runtime: 'claude' })).toEqual([{ personality: 'bob', runtime: 'claude', identity: 'claude-bob', outcome: 'stopped' }]);
    expect(order).toEqual(['kill stopped=true parked=true']);
    expect(w.markers.readSession('claude-bob')).toBeNull();
    expect(await sup.wake({ personality: 'bob', task: 'x' })).toMatchObject({ status: 'FAILED', stopped: true });
    await sup.tick();
    expect(w.launches).toHaveLength(0);
  });

  it('stop without a runtime stops every declared runtime; --all every peer; an undeclared runtime throws and changes nothing', async () => {
    const sup = createSupervisor(w.deps());
    await expect(sup.stop({ personality: 'bob', runtime: 'gemini' })).rejects.toMatchObject({ code: 'RUNTIME_NOT_DECLARED' });
    await expect(sup.stop({ personality: 'ghost' })).rejects.toMatchObject({ code: 'PEER_NOT_FOUND' });
    expect(w.markers.listIdentities()).toEqual([]);
    expect((await sup.stop({ personality: 'bob' })).map((r) => r.identity)).toEqual(['claude-bob', 'codex-bob']);
    expect((await sup.stop({ all: true })).map((r) => r.identity)).toEqual(['claude-bob', 'codex-bob', 'claude-amy']);
  });

  it('stop and start refuse a foreign service file; an infra peer is booted out / bootstrapped', async () => {
    w.managed.set('amy', 'foreign');
    const sup = createSupervisor(w.deps());
    expect(await sup.stop({ personality: 'amy' })).toEqual([expect.objectContaining({ outcome: 'refused-foreign-launchd' })]);
    expect(await sup.start({ personality: 'amy' })).toEqual([expect.objectContaining({ outcome: 'refused-foreign-launchd' })]);
    expect(w.markers.has('claude-amy', 'stopped')).toBe(false);
    expect(w.managerCalls).toEqual([]);
    w.managed.set('amy', 'ours');
    w.live.add('claude-amy');
    expect(await sup.stop({ personality: 'amy' })).toEqual([expect.objectContaining({ outcome: 'bootout' })]);
    expect(w.live.has('claude-amy')).toBe(false);
    expect(await sup.start({ personality: 'amy' })).toEqual([expect.objectContaining({ outcome: 'bootstrap' })]);
    expect(w.managerCalls).toEqual([['bootout', 'amy'], ['bootstrap', 'amy']]);
    // the operator markers are the warm path's: an infra peer is held by its job, not by .stopped
    expect(w.markers.has('claude-amy', 'stopped')).toBe(false);
  });

  it('start clears .stopped and the deaths (the way out of the crash-loop guard) without launching', async () => {
    w.markers.set('claude-bob', 'stopped', new Date());
    for (const t of [1, 2, 3]) w.markers.recordDeath('claude-bob', w.now - t);
    const sup = createSupervisor(w.deps());
    expect(await sup.start({ personality: 'bob', runtime: 'claude' })).toEqual([{ personality: 'bob', runtime: 'claude', identity: 'claude-bob', outcome: 'started' }]);
    expect(w.markers.has('claude-bob', 'stopped')).toBe(false);
    expect(w.markers.readDeaths('claude-bob')).toEqual([]);
    expect(w.launches).toHaveLength(0);
    expect(await sup.wake({ personality: 'bob', task: 'x' })).toMatchObject({ status: 'READY' });
  });

  it('markFresh writes .new-eager FIRST, then kills; the next tick relaunches fresh', async () => {
    w.enrol('claude-bob');
    let markedAtKill = false;
    w.onKill = (id) => (markedAtKill = w.markers.has(id, 'new-eager'));
    const sup = createSupervisor(w.deps());
    expect(await sup.markFresh('claude-bob')).toEqual({ identity: 'claude-bob', marked: true });
    expect(markedAtKill).toBe(true);
    const report = await sup.tick();
    expect(report.relaunched[0].result).toMatchObject({ status: 'READY', identity: 'claude-bob', mode: 'fresh' });
    await expect(sup.markFresh('nonsense')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refresh sets .fresh-next so the next natural wake is fresh (soft-reload), skipping router runtimes', async () => {
    w.addPeer({ personality: 'tg', default_runtime: 'telegram', runtimes: ['telegram'] });
    const sup = createSupervisor(w.deps());
    expect((await sup.refresh({ all: true })).map((r) => `${r.identity}:${r.outcome}`)).toEqual(['claude-bob:marked', 'codex-bob:marked', 'claude-amy:marked', 'telegram-tg:skipped-router']);
    w.markers.set('claude-bob', 'idle-reaped', new Date());
    w.markers.addTopic('claude-bob', 't');
    expect(await sup.wake({ personality: 'bob', topic: 't', task: 'x' })).toMatchObject({ mode: 'fresh', cause: 'soft-reload' });
    expect(w.markers.has('claude-bob', 'fresh-next')).toBe(false);
    expect(w.markers.has('claude-bob', 'idle-reaped')).toBe(false);
  });

  it('new is an unconditional fresh restart that also lifts a stop; infra and foreign peers are refused', async () => {
    w.enrol('claude-bob');
    w.markers.set('claude-bob', 'stopped', new Date());
    const sup = createSupervisor(w.deps());
    expect(await sup.new({ personality: 'bob' })).toMatchObject({ status: 'READY', woke: true, mode: 'fresh' });
    expect(w.kills).toEqual(['claude-bob']);
    w.managed.set('amy', 'foreign');
    await expect(sup.new({ personality: 'amy' })).rejects.toMatchObject({ code: 'FOREIGN_SERVICE_FILE' });
    w.managed.set('amy', 'ours');
    await expect(sup.new({ personality: 'amy' })).rejects.toMatchObject({ code: 'LAUNCHD_MANAGED' });
  });

  it('state reports live / asleep / stopped, last activity, deaths in the window and the markers', async () => {
    w.enrol('claude-bob', { wokeAtMs: w.now - 1000 });
    w.activity.set('claude-bob', w.now - 500);
    w.markers.set('codex-bob', 'stopped', new Date());
    w.markers.recordDeath('codex-bob', w.now - 10);
    w.markers.recordDeath('codex-bob', w.now - 999_000);
    const sup = createSupervisor(w.deps());
    const s = await sup.state({ personality: 'bob' });
    expect(s.map((x) => [x.identity, x.status, x.lastActivityMs, x.deathsInWindow])).toEqual([
      ['claude-bob', 'live', w.now - 500, 0],
      ['codex-bob', 'stopped', null, 1],
    ]);
    expect(s[1].markers).toEqual({ session: null, stopped: true, idleReaped: false, newEager: false, freshNext: false, ephemeralArmed: false, topics: [], deaths: [w.now - 999_000, w.now - 10] });
    expect((await sup.state({})).map((x) => x.identity)).toEqual(['claude-bob', 'codex-bob']);
  });

  it('noteTopic adds a live topic once and logs ev=topic-note on each shift', async () => {
    const sup = createSupervisor(w.deps());
    expect(sup.noteTopic('claude-bob', 'a')).toEqual({ changed: true });
    expect(sup.noteTopic('claude-bob', 'a')).toEqual({ changed: false });
    expect(w.events.rendered()).toEqual(['ev=topic-note identity=claude-bob topic=a']);
  });
});

describe('re-adoption after a supervisor restart', () => {
  let w: FakeWorld;
  beforeEach(() => {
    w = new FakeWorld();
    for (const p of ['amy', 'bob', 'cat']) w.addPeer({ personality: p });
  });
  afterEach(() => w.cleanup());

  it('keeps every .session, adopts a live session whose marker was lost, finishes a cut-short stop, ignores strangers', async () => {
    w.enrol('claude-amy'); // the previous supervisor knew this one
    w.live.add('claude-bob'); // READY happened, then SIGKILL before .session was written
    w.live.add('claude-cat');
    w.markers.set('claude-cat', 'stopped', new Date()); // SIGKILL between .stopped and the kill
    w.live.add('claude-zed'); // no such peer
    const sup = createSupervisor(w.deps());
    const report = await sup.readopt();
    expect(report).toEqual({ enrolled: ['claude-amy'], readopted: ['claude-bob'], stopCompleted: ['claude-cat'], reapCompleted: [], parkCleared: [] });
    expect(w.markers.listSessions()).toEqual(['claude-amy', 'claude-bob']);
    expect(w.live.has('claude-cat')).toBe(false);
    expect(w.events.rendered()).toEqual([
      'ev=supervise identity=claude-bob action=readopted reason="live session without a .session marker"',
      'ev=supervise identity=claude-cat action=stop-completed reason="live session of a stopped peer at supervisor start"',
    ]);
    // and a later idle reap bounds the adopted session like any other
    w.now += 3601_000;
    const out = await sup.tick();
    expect(out.outcomes.map((o) => `${o.identity}:${o.action}`)).toEqual(['claude-amy:reaped-idle', 'claude-bob:reaped-idle']);
  });

  it('finishes idle reaps cut by a SIGKILL: after the kill → parked, no death; before the kill → stale park cleared, still enrolled', async () => {
    w.enrol('claude-amy', { live: false }); // park written, session killed, SIGKILL before .session went
    w.markers.set('claude-amy', 'idle-reaped', new Date());
    w.enrol('claude-bob'); // park written, SIGKILL before the kill
    w.markers.set('claude-bob', 'idle-reaped', new Date());
    w.enrol('claude-cat', { live: false }); // a stop cut the same way is left to the tick (skipped-stopped)
    w.markers.set('claude-cat', 'idle-reaped', new Date());
    w.markers.set('claude-cat', 'stopped', new Date());
    const sup = createSupervisor(w.deps());
    const report = await sup.readopt();
    expect(report).toMatchObject({ reapCompleted: ['claude-amy'], parkCleared: ['claude-bob'] });
    expect(w.markers.listSessions()).toEqual(['claude-bob', 'claude-cat']);
    expect(w.markers.has('claude-amy', 'idle-reaped')).toBe(true);
    expect(w.markers.has('claude-bob', 'idle-reaped')).toBe(false);
    const out = await sup.tick();
    expect(out.outcomes.map((o) => `${o.identity}:${o.action}`)).toEqual(['claude-bob:alive', 'claude-cat:skipped-stopped']);
    for (const id of ['claude-amy', 'claude-bob', 'claude-cat']) expect(w.markers.readDeaths(id)).toEqual([]);
  });

  it('purge refuses a registered or malformed name with nothing changed', async () => {
    w.enrol('claude-bob');
    w.markers.set('claude-bob', 'stopped', new Date());
    const sup = createSupervisor(w.deps());
    await expect(sup.purge('bob')).rejects.toMatchObject({ code: 'PEER_STILL_REGISTERED' });
    await expect(sup.purge('../bob')).rejects.toMatchObject({ code: 'INVALID_PERSONALITY' });
    expect(w.kills).toEqual([]);
    expect(w.live.has('claude-bob')).toBe(true);
    expect(w.markers.listIdentities()).toEqual(['claude-bob']);
  });

  it('purge of an unregistered name kills its live sessions (any runtime) and removes only its <identity>.* state', async () => {
    w.enrol('claude-bob');
    w.markers.set('codex-bob', 'stopped', new Date());
    w.live.add('fake-bob'); // a runtime the peer no longer declares, live without markers
    w.markers.set('claude-bob2', 'stopped', new Date());
    w.enrol('claude-amy');
    w.peers.delete('bob');
    const sup = createSupervisor(w.deps());
    const r = await sup.purge('bob');
    expect(r).toEqual({ personality: 'bob', killed: ['claude-bob', 'fake-bob'], removed: ['claude-bob.session', 'codex-bob.stopped'] });
    expect(w.kills.sort()).toEqual(['claude-bob', 'codex-bob', 'fake-bob']);
    expect(w.markers.listIdentities()).toEqual(['claude-amy', 'claude-bob2']);
    expect(w.live.has('claude-amy')).toBe(true);
    expect(w.events.rendered('purge')).toHaveLength(1);
    // a second purge finds nothing left
    expect(await sup.purge('bob')).toEqual({ personality: 'bob', killed: [], removed: [] });
  });
});
