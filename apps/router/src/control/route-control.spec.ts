import { FakeWorld } from '../testing/in-memory-ports';
import { seedWorld } from '../testing/send-helpers';
import { routeControl, type ControlDeps } from './route-control';

describe('routeControl (§6.5)', () => {
  const setup = () => {
    const w = new FakeWorld();
    seedWorld(w);
    return { w, deps: w.deps() };
  };

  it.each(['interrupt', 'compact'] as const)('%s acts on the live target and reports it', async (command) => {
    const { w, deps } = setup();
    w.live.add('claude-alice');
    const r = await routeControl({ personality: 'alice', command }, deps);
    expect(r).toMatchObject({ ok: true, controlled: { personality: 'alice', runtime: 'claude' }, command, ts: '2026-01-01T00:00:00.000Z' });
    expect(w.controls).toEqual([{ identity: 'claude-alice', command }]);
  });

  it('interrupt refuses an asleep target and never wakes it, even a parked one', async () => {
    const { w, deps } = setup();
    w.parked.add('claude-alice');
    await expect(routeControl({ personality: 'alice', command: 'interrupt' }, deps)).rejects.toThrow('peer offline: alice');
    await expect(routeControl({ personality: 'alice', runtime: 'codex', command: 'interrupt' }, deps)).rejects.toThrow('peer offline: alice (codex)');
    expect(w.wakes).toEqual([]);
    expect(w.controls).toEqual([]);
  });

  it('refuses a router runtime: runtime "<rt>" does not support control command "<c>"', async () => {
    const { w, deps } = setup();
    w.live.add('telegram-tg');
    await expect(routeControl({ personality: 'tg', command: 'compact' }, deps)).rejects.toThrow('runtime "telegram" does not support control command "compact"');
  });

  it('refuses an unknown peer and an undeclared runtime', async () => {
    const { deps } = setup();
    await expect(routeControl({ personality: 'nobody', command: 'interrupt' }, deps)).rejects.toThrow('peer "nobody" is not in the iapeer peers index');
    await expect(routeControl({ personality: 'boris', runtime: 'codex', command: 'interrupt' }, deps)).rejects.toThrow('runtime "codex" is not declared for "boris"');
  });
});

describe('compact: done-gated, resumes a parked peer first (§6.5)', () => {
  const setup = (extra: Partial<ControlDeps> = {}) => {
    const w = new FakeWorld();
    seedWorld(w);
    const slept: number[] = [];
    const deps: ControlDeps = {
      ...w.deps(),
      compactWait: { doneTimeoutMs: 5000, pollMs: 1000, readyGraceMs: 2000 },
      // the clock moves only when compact sleeps, so a timeout is reached without waiting
      sleep: async (ms) => {
        slept.push(ms);
        w.nowMs += ms;
      },
      ...extra,
    };
    return { w, deps, slept };
  };

  it('a live peer: /compact typed, then it waits until the transcript records one more compaction', async () => {
    const { w, deps } = setup();
    w.live.add('claude-alice');
    w.compactions.set('claude-alice', 2); // earlier compactions never confirm this one
    const r = await routeControl({ personality: 'alice', command: 'compact' }, deps);
    expect(r).toEqual({ ok: true, controlled: { personality: 'alice', runtime: 'claude' }, command: 'compact', ts: '2026-01-01T00:00:00.000Z', resumed: false, compacted: 'confirmed' });
    expect(w.controls).toEqual([{ identity: 'claude-alice', command: 'compact' }]);
    expect(w.wakes).toEqual([]);
  });

  it('no record within IAPEER_COMPACT_DONE_TIMEOUT_MS: COMPACT_NOT_CONFIRMED, polling every _POLL_MS', async () => {
    const { w, deps, slept } = setup();
    w.live.add('claude-alice');
    w.compactions.set('claude-alice', 0);
    w.compactAdds.set('claude-alice', 0);
    const err = await routeControl({ personality: 'alice', command: 'compact' }, deps).catch((e) => e);
    expect(err).toMatchObject({
      code: 'COMPACT_NOT_CONFIRMED',
      message: '/compact was typed into claude-alice but its transcript recorded no finished compaction within 5s; it may still be compacting — look with `iapeer attach alice`',
    });
    expect(slept).toEqual([1000, 1000, 1000, 1000, 1000]);
  });

  it('a runtime that keeps no readable record: sent, reported unconfirmed', async () => {
    const { w, deps } = setup();
    w.live.add('claude-alice');
    expect(await routeControl({ personality: 'alice', command: 'compact' }, deps)).toMatchObject({ resumed: false, compacted: 'unconfirmed' });
  });

  it('a parked peer is resumed first (resume: true, origin compact), then compacted', async () => {
    const { w, deps } = setup();
    w.parked.add('codex-alice');
    w.compactions.set('codex-alice', 0);
    const r = await routeControl({ personality: 'alice', runtime: 'codex', command: 'compact' }, deps);
    expect(w.wakes).toEqual([{ personality: 'alice', runtime: 'codex', resume: true, task: '', origin: 'compact' }]);
    expect(r).toMatchObject({ controlled: { personality: 'alice', runtime: 'codex' }, resumed: true, compacted: 'confirmed' });
    expect(w.controls).toEqual([{ identity: 'codex-alice', command: 'compact' }]);
  });

  it('no runtime named: the parked default runtime is resumed', async () => {
    const { w, deps } = setup();
    w.parked.add('claude-boris');
    expect(await routeControl({ personality: 'boris', command: 'compact' }, deps)).toMatchObject({ controlled: { runtime: 'claude' }, resumed: true });
  });

  it('after the resume it waits (bounded by the ready grace) for the input prompt before typing', async () => {
    const { w, deps, slept } = setup();
    w.parked.add('claude-boris');
    w.screens.set('claude-boris', { state: 'busy', why: 'still loading' });
    await routeControl({ personality: 'boris', command: 'compact' }, deps);
    expect(slept.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(w.controls).toEqual([{ identity: 'claude-boris', command: 'compact' }]);
  });

  it('asleep but not parked (died on its own, never ran): nothing to compact, nothing woken', async () => {
    const { w, deps } = setup();
    const err = await routeControl({ personality: 'boris', command: 'compact' }, deps).catch((e) => e);
    expect(err).toMatchObject({ code: 'SESSION_NOT_LIVE', message: 'boris (claude) has no live session and no clean park to resume: nothing to compact' });
    expect(w.wakes).toEqual([]);
    expect(w.controls).toEqual([]);
  });

  it('a resume that fails keeps the supervisor code and reason; nothing is typed', async () => {
    const { w, deps } = setup();
    w.parked.add('claude-boris');
    w.wakeBehaviour = { kind: 'fail', code: 'PEER_STOPPED', reason: '"boris" (claude) is stopped and not accepting messages; start it to resume', stopped: true };
    const err = await routeControl({ personality: 'boris', command: 'compact' }, deps).catch((e) => e);
    expect(err).toMatchObject({ code: 'PEER_STOPPED', message: 'boris (claude) is parked and its resume failed: "boris" (claude) is stopped and not accepting messages; start it to resume; nothing was compacted' });
    expect(w.controls).toEqual([]);
  });
});

describe('interrupt and compact refuse a peer held by a foreign job (§7.3 fleet guard)', () => {
  const job = { file: '/home/u/.config/systemd/user/iapeer-peer-alice.service', label: 'iapeer-peer-alice.service' };
  it.each(['interrupt', 'compact'] as const)('%s: FOREIGN_SERVICE_FILE naming the file and label; nothing is sent or woken', async (command) => {
    const w = new FakeWorld();
    seedWorld(w);
    w.live.add('claude-alice');
    const deps: ControlDeps = { ...w.deps(), jobs: { foreignJob: (p) => (p === 'alice' ? job : null) } };
    const err = await routeControl({ personality: 'alice', command }, deps).catch((e) => e);
    expect(err).toMatchObject({
      code: 'FOREIGN_SERVICE_FILE',
      message: `${command} refused: "alice" is held by a foreign service file at ${job.file} (label ${job.label}, no iapeer sentinel); iapeer never interrupts or compacts a peer it does not manage — manage it by hand or move the file away`,
    });
    expect(w.controls).toEqual([]);
    expect(w.wakes).toEqual([]);
    // another peer is not affected
    w.live.add('claude-boris');
    await expect(routeControl({ personality: 'boris', command }, deps)).resolves.toMatchObject({ ok: true });
  });
});
