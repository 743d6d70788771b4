import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '@iapeer/testing';
import { linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// All supervision state is on disk (docs/behaviour.md §7.2): a supervisor SIGKILLed in the middle
// of a tick that is reaping a fleet loses no marker, and the next supervisor re-adopts
// every live session from its `.session` (none is orphaned) and still reaps it when idle.
describe('supervisor SIGKILLed mid-tick and restarted (real services, real tmux, 16 fake agents)', () => {
  let w: LifecycleWorld;
  const N = 16;
  const names = Array.from({ length: N }, (_, i) => `crew${String(i + 1).padStart(2, '0')}`);
  const ids = names.map((n) => `fake-${n}`);
  /** One supervisor client per supervisor process (renewed after each restart). */
  let supClient: any;
  const sup = () => (supClient ??= w.stack.client('supervisor').client);
  const restartSupervisor = async (env: Record<string, string>) => {
    await w.stack.restart('supervisor', env);
    supClient = undefined;
  };
  /** The state the SIGKILL left. */
  let cut: Array<{ id: string; markers: string[]; live: boolean }> = [];

  /** Per identity: its markers and whether its agent runs. */
  const snapshot = async () =>
    Promise.all(ids.map(async (id) => ({ id, markers: w.markers(id), live: await w.tmux.isAlive(id) })));

  beforeAll(async () => {
    w = await startLifecycleWorld({ IAPEER_IDLE_SECS: '1' });
    const registry = w.stack.client('registry').client as any;
    for (const name of names) {
      const cwd = path.join(w.sb.paths.peersDir, name);
      fs.mkdirSync(cwd, { recursive: true });
      await registry.init.mutate({ cwd, personality: name, runtime: 'fake' });
    }
    const results = await Promise.all(names.map((personality, i) => sup().wake.mutate({ personality, topic: `shift-${i}`, task: '' })));
    expect(results.every((r: { status: string; woke: boolean }) => r.status === 'READY' && r.woke)).toBe(true);
  }, 120_000);
  afterAll(() => w.close());

  it('SIGKILL while the tick reaps the idle fleet: every peer is still enrolled or parked, topics kept, no death', async () => {
    expect(await w.tmux.listLive()).toEqual([...ids].sort());
    // idle past IAPEER_IDLE_SECS=1 by the supervisor's own measure
    await waitFor(async () => {
      const rows = await sup().state.query({});
      const now = Date.now();
      return rows.length === N && rows.every((r: { lastActivityMs: number | null }) => r.lastActivityMs !== null && now - r.lastActivityMs > 1500);
    }, 'the whole fleet to be idle for more than 1 s');

    const tick = sup().tick.mutate().catch(() => 'killed');
    await waitFor(() => fs.readdirSync(w.sb.paths.lifecycleDir).some((n) => n.endsWith('.idle-reaped')), 'the tick to park its first session', 10_000, 1);
    await w.stack.kill('supervisor'); // SIGKILL
    await tick;

    cut = await snapshot();
    for (const s of cut) {
      // no marker lost: enrolled (.session) or parked (.idle-reaped), never neither; the topic stays
      expect({ id: s.id, ok: s.markers.includes('session') || s.markers.includes('idle-reaped') }).toEqual({ id: s.id, ok: true });
      expect(s.markers).toContain('topic');
      expect(s.markers).not.toContain('deaths');
      // a running agent is always enrolled
      if (s.live) expect(s.markers).toContain('session');
    }
  });

  it('a restarted supervisor re-adopts the surviving sessions from .session; none is orphaned, none counted dead', async () => {
    // and one live session whose .session was never written (a SIGKILL between READY and the write)
    const unmarked = cut.find((s) => s.live && !s.markers.includes('idle-reaped'))!;
    fs.rmSync(w.sb.paths.peerStateFile(unmarked.id, 'session'));
    await restartSupervisor({ IAPEER_IDLE_SECS: '3600' });
    await sup().tick.mutate();
    const after = await snapshot();
    for (const s of after) {
      // live ⇔ enrolled, and only parked when not live: a reap cut before its kill has its
      // stale park cleared (park-cleared), one cut after the kill is finished as a park
      // (reap-completed); neither is counted as a death
      expect(s).toEqual({ id: s.id, live: s.live, markers: s.live ? ['session', 'topic'] : ['idle-reaped', 'topic'] });
    }
    const cutParked = cut.filter((s) => s.markers.includes('idle-reaped') && s.markers.includes('session'));
    if (cutParked.length > 0) {
      const lines = await w.waitLifecycle((all) => (cutParked.every((s) => linesWith(all, { ev: 'supervise', identity: s.id }).some((l) => /action=(park-cleared|reap-completed)/.test(l))) ? all : undefined), 'the settled cut reaps in lifecycle.log');
      for (const s of cutParked) expect(linesWith(lines, { ev: 'supervise', identity: s.id, action: s.live ? 'park-cleared' : 'reap-completed' })).toHaveLength(1);
    }
    expect(after.find((s) => s.id === unmarked.id)).toMatchObject({ live: true, markers: ['session', 'topic'] });
    await w.waitLifecycle((all) => linesWith(all, { ev: 'supervise', identity: unmarked.id, action: 'readopted' }).length === 1, 'the readopted line of the unmarked session');
    const rows = await sup().state.query({});
    expect(rows.every((r: { deathsInWindow: number }) => r.deathsInWindow === 0)).toBe(true);
  });

  it('the next supervisor still reaps the re-adopted sessions once idle', async () => {
    const live = (await snapshot()).filter((s) => s.live).map((s) => s.id);
    await restartSupervisor({ IAPEER_IDLE_SECS: '1' });
    // the start tick (re-adoption, then one pass) reaps them; an explicit tick covers a slow start
    await waitFor(async () => (await sup().tick.mutate()) && (await w.tmux.listLive()).length === 0, 'every session to be reaped');
    for (const s of await snapshot()) {
      expect(s).toEqual({ id: s.id, live: false, markers: ['idle-reaped', 'topic'] });
    }
    if (live.length > 0) {
      const lines = await w.waitLifecycle(
        (all) => (live.every((id) => linesWith(all, { ev: 'supervise', identity: id, action: 'reaped-idle' }).length > 0) ? all : undefined),
        'a reaped-idle line for every re-adopted session',
      );
      expect(linesWith(lines, { ev: 'supervise', action: 'reaped-gone' })).toEqual([]);
    }
  });
});
