import fs from 'node:fs';
import path from 'node:path';
import { FakeWorld } from '../test/fake-world';
import { armEphemeral, drainQueue, enqueueEphemeral } from './ephemeral';
import { ephemeralReapReason } from './ephemeral-reap';
import { createSupervisor } from './supervisor';
import { superviseTick } from './tick';
import { wakeOrSpawn } from './wake';

describe('ephemeralReapReason (§7.6): the quiet reap decision', () => {
  const base = { quietSecs: 20, unarmedIdleSecs: 600 };
  it.each([
    [{ armed: true, ageMs: 20_001 }, 'ephemeral-done'],
    [{ armed: true, ageMs: 20_000 }, null],
    [{ armed: false, ageMs: 20_001 }, null],
    [{ armed: false, ageMs: 600_001 }, 'ephemeral-unarmed-bound'],
    [{ armed: false, ageMs: 600_000 }, null],
    [{ armed: true, ageMs: 600_001 }, 'ephemeral-done'],
  ])('%j → %p', (i, want) => expect(ephemeralReapReason({ ...base, ...i })).toBe(want));
});

describe('the tick and ephemeral workers (§7.6, injected clock)', () => {
  let w: FakeWorld;
  beforeEach(() => {
    w = new FakeWorld();
    w.addPeer({ personality: 'w', wakePolicy: 'ephemeral' });
    w.addPeer({ personality: 'bob' });
  });
  afterEach(() => w.cleanup());

  it('armed and quiet past IAPEER_EPHEMERAL_QUIET_SECS: killed, unenrolled before the kill, armed cleared; no death, no park', async () => {
    w.enrol('claude-w', { wokeAtMs: w.now - 60_000 });
    w.activity.set('claude-w', w.now - 21_000);
    w.markers.set('claude-w', 'ephemeral-armed', new Date(w.now));
    let enrolledAtKill = true;
    w.onKill = (id) => (enrolledAtKill = w.markers.readSession(id) !== null);
    const [o] = await superviseTick(w.deps());
    expect(o).toEqual({ identity: 'claude-w', action: 'reaped-ephemeral', reason: 'ephemeral-done', age: 21, outcome: 'fresh-next-msg' });
    expect(enrolledAtKill).toBe(false);
    expect(w.kills).toEqual(['claude-w']);
    expect(w.markers.readSession('claude-w')).toBeNull();
    expect(w.markers.has('claude-w', 'ephemeral-armed')).toBe(false);
    expect(w.markers.has('claude-w', 'idle-reaped')).toBe(false);
    expect(w.markers.readDeaths('claude-w')).toEqual([]);
    expect(w.events.rendered()).toEqual(['ev=supervise identity=claude-w action=reaped-ephemeral reason=ephemeral-done age=21s outcome=fresh-next-msg']);
  });

  it('armed but still working (activity within the quiet window): alive', async () => {
    w.enrol('claude-w', { wokeAtMs: w.now - 60_000 });
    w.activity.set('claude-w', w.now - 5_000);
    w.markers.set('claude-w', 'ephemeral-armed', new Date(w.now));
    expect((await superviseTick(w.deps()))[0]).toMatchObject({ action: 'alive', age: 5 });
    expect(w.kills).toEqual([]);
  });

  it('never armed: alive until IAPEER_EPHEMERAL_UNARMED_IDLE_SECS, then reaped as ephemeral-unarmed-bound', async () => {
    w.enrol('claude-w', { wokeAtMs: w.now - 700_000 });
    w.activity.set('claude-w', w.now - 599_000);
    expect((await superviseTick(w.deps()))[0]).toMatchObject({ action: 'alive' });
    w.now += 2_000;
    expect((await superviseTick(w.deps()))[0]).toEqual({ identity: 'claude-w', action: 'reaped-ephemeral', reason: 'ephemeral-unarmed-bound', age: 601, outcome: 'fresh-next-msg' });
    expect(w.markers.readDeaths('claude-w')).toEqual([]);
  });

  it('the bounds are configuration (IAPEER_EPHEMERAL_QUIET_SECS / _UNARMED_IDLE_SECS)', async () => {
    w.config.ephemeralQuietSecs = 1;
    w.enrol('claude-w', { wokeAtMs: w.now - 1_500 });
    w.markers.set('claude-w', 'ephemeral-armed', new Date(w.now));
    expect((await superviseTick(w.deps()))[0]).toMatchObject({ action: 'reaped-ephemeral', reason: 'ephemeral-done' });
  });

  it('an ordinary peer with a stray armed marker is not quiet-reaped (the session says no ephemeral policy)', async () => {
    w.enrol('claude-bob', { wokeAtMs: w.now - 700_000 });
    w.markers.set('claude-bob', 'ephemeral-armed', new Date(w.now));
    expect((await superviseTick(w.deps()))[0]).toMatchObject({ action: 'alive' });
  });

  it('a wake of an ephemeral worker records its policy in .session (what the tick reads)', async () => {
    await wakeOrSpawn(w.deps(), { personality: 'w', task: 't' });
    expect(w.markers.readSession('claude-w')?.wakePolicy).toBe('ephemeral');
    await wakeOrSpawn(w.deps(), { personality: 'bob', task: 't' });
    expect(w.markers.readSession('claude-bob')?.wakePolicy).toBeUndefined();
  });
});

describe('enqueue, drain and arm (§7.7)', () => {
  let w: FakeWorld;
  const kicked: string[] = [];
  const kick = (id: string) => kicked.push(id);
  beforeEach(() => {
    w = new FakeWorld();
    w.addPeer({ personality: 'w', wakePolicy: 'ephemeral', runtimes: ['claude', 'codex'] });
    w.addPeer({ personality: 'bob' });
    kicked.length = 0;
  });
  afterEach(() => w.cleanup());

  it('enqueue writes the item, answers its place and kicks a drain', async () => {
    const deps = w.deps();
    expect(await enqueueEphemeral(deps, { personality: 'w', runtime: 'claude', task: 'T1', topic: ' q3 ' }, kick)).toEqual({ identity: 'claude-w', seq: '000001', depth: 1, duplicate: false });
    expect(await enqueueEphemeral(deps, { personality: 'w', runtime: 'claude', task: 'T2' }, kick)).toMatchObject({ seq: '000002', depth: 2 });
    expect(w.queue.peek('claude-w')).toEqual({ seq: '000001', item: { task: 'T1', topic: 'q3', at: '2026-03-01T12:00:00.000Z' } });
    expect(kicked).toEqual(['claude-w', 'claude-w']);
  });

  it('enqueue refuses, writing nothing: unknown peer, undeclared runtime, stopped, held by the service manager', async () => {
    const deps = w.deps();
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);
    expect(await code(enqueueEphemeral(deps, { personality: 'nobody', runtime: 'claude', task: 'T' }, kick))).toBe('PEER_NOT_FOUND');
    expect(await code(enqueueEphemeral(deps, { personality: 'w', runtime: 'gemini', task: 'T' }, kick))).toBe('RUNTIME_NOT_DECLARED');
    w.markers.set('claude-w', 'stopped', new Date());
    await expect(enqueueEphemeral(deps, { personality: 'w', runtime: 'claude', task: 'T' }, kick)).rejects.toThrow('"w" (claude) is stopped and not accepting messages; start it to resume');
    w.markers.clear('claude-w', 'stopped');
    w.addPeer({ personality: 'tgw', wakePolicy: 'ephemeral', default_runtime: 'telegram', runtimes: ['telegram', 'gemini'] });
    expect(await code(enqueueEphemeral(deps, { personality: 'tgw', runtime: 'telegram', task: 'T' }, kick))).toBe('LAUNCHD_MANAGED');
    expect(await code(enqueueEphemeral(deps, { personality: 'tgw', runtime: 'gemini', task: 'T' }, kick))).toBe('RUNTIME_UNAVAILABLE');
    w.managed.set('w', 'ours');
    expect(await code(enqueueEphemeral(deps, { personality: 'w', runtime: 'claude', task: 'T' }, kick))).toBe('LAUNCHD_MANAGED');
    expect(w.queue.identities()).toEqual([]);
    expect(kicked).toEqual([]);
  });

  it('a drain wakes the asleep worker fresh with the head as its task, logs ev=ephemeral-drain, and removes the item on READY', async () => {
    const deps = w.deps();
    await enqueueEphemeral(deps, { personality: 'w', runtime: 'codex', task: 'T1', topic: 'q3' }, kick);
    await enqueueEphemeral(deps, { personality: 'w', runtime: 'codex', task: 'T2' }, kick);
    const wake = (req: Parameters<typeof wakeOrSpawn>[1]) => wakeOrSpawn(deps, req);
    const r = await drainQueue(deps, 'codex-w', wake);
    expect(r).toMatchObject({ identity: 'codex-w', seq: '000001', result: { status: 'READY', taskDelivered: true, mode: 'fresh', cause: 'ephemeral-policy' } });
    expect(w.launches.map((l) => [l.spec.identity, l.firstMessage])).toEqual([['codex-w', 'T1']]);
    expect(w.queue.seqs('codex-w')).toEqual(['000002']);
    expect(w.events.rendered('ephemeral-drain')).toEqual(['ev=ephemeral-drain identity=codex-w seq=000001 depth=2 topic=q3']);
    expect(w.events.rendered('wake')).toContain('ev=wake personality=w identity=codex-w runtime=codex mode=fresh cause=ephemeral-policy origin=ephemeral-drain outcome=ready');
  });

  it('a drain does nothing while the worker is live (one task per session), nor while it is stopped', async () => {
    const deps = w.deps();
    await enqueueEphemeral(deps, { personality: 'w', runtime: 'claude', task: 'T1' }, kick);
    const wake = (req: Parameters<typeof wakeOrSpawn>[1]) => wakeOrSpawn(deps, req);
    w.live.add('claude-w');
    expect(await drainQueue(deps, 'claude-w', wake)).toBeNull();
    w.live.delete('claude-w');
    w.markers.set('claude-w', 'stopped', new Date());
    expect(await drainQueue(deps, 'claude-w', wake)).toBeNull();
    expect(w.launches).toEqual([]);
    expect(w.queue.depth('claude-w')).toBe(1);
    expect(w.events.rendered('ephemeral-drain')).toEqual([]);
  });

  it('`start` of a stopped worker drains what was queued before the stop', async () => {
    const deps = w.deps();
    const sup = createSupervisor(deps);
    await enqueueEphemeral(deps, { personality: 'w', runtime: 'claude', task: 'T1' }, kick);
    await sup.stop({ personality: 'w', runtime: 'claude' });
    expect(await drainQueue(deps, 'claude-w', sup.wake)).toBeNull();
    await sup.start({ personality: 'w', runtime: 'claude' });
    await sup.drain('claude-w'); // waits for the kicked drain (one per identity)
    expect(w.launches.map((l) => [l.spec.identity, l.firstMessage])).toEqual([['claude-w', 'T1']]);
    expect(w.queue.depth('claude-w')).toBe(0);
  });

  it('a failed wake keeps the item for the next drain', async () => {
    const deps = w.deps();
    await enqueueEphemeral(deps, { personality: 'w', runtime: 'claude', task: 'T1' }, kick);
    w.launchResult = () => ({ status: 'FAILED', reason: 'never-became-ready' });
    const r = await drainQueue(deps, 'claude-w', (req) => wakeOrSpawn(deps, req));
    expect(r?.result).toMatchObject({ status: 'FAILED' });
    expect(w.queue.depth('claude-w')).toBe(1);
  });

  it('a corrupt head is dropped and logged, and the next item is drained', async () => {
    const deps = w.deps();
    await enqueueEphemeral(deps, { personality: 'w', runtime: 'claude', task: 'T1' }, kick);
    await enqueueEphemeral(deps, { personality: 'w', runtime: 'claude', task: 'T2' }, kick);
    fs.writeFileSync(path.join(w.queue.dir('claude-w'), '000001'), 'garbage');
    const r = await drainQueue(deps, 'claude-w', (req) => wakeOrSpawn(deps, req));
    expect(r?.seq).toBe('000002');
    expect(w.launches.map((l) => l.firstMessage)).toEqual(['T2']);
    expect(w.events.rendered('ephemeral-drain')).toEqual([
      'ev=ephemeral-drain identity=claude-w seq=000001 depth=2 dropped=corrupt reason="not a queue item {task, at}"',
      'ev=ephemeral-drain identity=claude-w seq=000002 depth=1',
    ]);
  });

  it('the tick pass reaps a done worker and hands it the next message in the same pass', async () => {
    const deps = w.deps();
    const sup = createSupervisor(deps);
    await sup.enqueue({ personality: 'w', runtime: 'claude', task: 'T1' });
    await new Promise((r) => setImmediate(r));
    await w.launchGate;
    await sup.drain('claude-w'); // the kick's drain has run (or this one does): T1 is in a session
    expect(w.launches.map((l) => l.firstMessage)).toEqual(['T1']);
    await sup.enqueue({ personality: 'w', runtime: 'claude', task: 'T2' });
    await sup.drain('claude-w');
    expect(w.launches).toHaveLength(1); // T2 waits: the worker is busy with T1
    await sup.arm('claude-w');
    w.now += 21_000;
    const report = await sup.tick();
    expect(report.outcomes).toEqual([expect.objectContaining({ identity: 'claude-w', action: 'reaped-ephemeral', reason: 'ephemeral-done' })]);
    // T1 left the queue when its session took it, so T2 is the only item: numbering starts again
    expect(report.drained).toEqual([{ identity: 'claude-w', seq: '000001', result: expect.objectContaining({ status: 'READY', taskDelivered: true }) }]);
    expect(w.launches.map((l) => l.firstMessage)).toEqual(['T1', 'T2']);
    expect(w.queue.depth('claude-w')).toBe(0);
    // the new session starts unarmed
    expect(w.markers.has('claude-w', 'ephemeral-armed')).toBe(false);
  });

  it('arm sets .ephemeral-armed and says whether the peer is ephemeral; an unknown peer is refused', async () => {
    const deps = w.deps();
    expect(await armEphemeral(deps, 'claude-w')).toEqual({ identity: 'claude-w', armed: true, ephemeral: true, quietSecs: 20 });
    expect(w.markers.has('claude-w', 'ephemeral-armed')).toBe(true);
    expect(await armEphemeral(deps, 'claude-bob')).toMatchObject({ ephemeral: false });
    await expect(armEphemeral(deps, 'claude-nobody')).rejects.toMatchObject({ code: 'PEER_NOT_FOUND' });
    await expect(armEphemeral(deps, 'nobody')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
