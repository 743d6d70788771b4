import { EXIT_NO_RESTART, type ServiceName } from '@iapeer/core';
import { Keeper, type ChildHandle, type KeeperEvent } from './keeper';
import { decideRestart, DEFAULT_RESTART_POLICY } from './restart-policy';

/** A virtual clock and scripted children: the keeper's logic without processes. */
function harness() {
  let now = 0;
  let pid = 100;
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const children: { name: ServiceName; exit: (code: number | null, sig: NodeJS.Signals | null) => void; signals: string[] }[] = [];
  const events: KeeperEvent[] = [];
  const keeper = new Keeper({
    spawn(name) {
      let cb: (c: number | null, s: NodeJS.Signals | null) => void = () => undefined;
      const rec = { name, exit: (c: number | null, s: NodeJS.Signals | null) => cb(c, s), signals: [] as string[] };
      children.push(rec);
      const handle: ChildHandle = {
        pid: pid++,
        kill: (sig) => {
          rec.signals.push(sig);
          if (sig === 'SIGTERM') queueMicrotask(() => rec.exit(0, null));
        },
        onExit: (fn) => (cb = fn),
      };
      return handle;
    },
    now: () => now,
    setTimer(fn, ms) {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return { cancel: () => (t.cancelled = true) };
    },
    log: (e) => events.push(e),
  });
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((t) => !t.cancelled && t.at <= now)) {
      t.cancelled = true;
      t.fn();
    }
  };
  const latest = (name: ServiceName) => children.filter((c) => c.name === name).at(-1)!;
  return { keeper, events, children, advance, latest };
}

describe('keeper', () => {
  it('restarts a child that dies and records why', () => {
    const h = harness();
    h.keeper.start(['logd', 'registry']);
    h.latest('registry').exit(null, 'SIGKILL');
    expect(h.keeper.states().registry.state).toBe('backoff');
    h.advance(100);
    expect(h.keeper.states().registry.state).toBe('running');
    expect(h.children.filter((c) => c.name === 'registry')).toHaveLength(2);
    expect(h.events).toContainEqual({ ev: 'exited', service: 'registry', code: null, signal: 'SIGKILL', state: 'backoff' });
  });

  it('does not restart a service that exits with EXIT_NO_RESTART (a taken port): it says refused', () => {
    const h = harness();
    h.keeper.start(['logd', 'router']);
    h.latest('router').exit(EXIT_NO_RESTART, null);
    h.advance(10_000);
    expect(h.children.filter((c) => c.name === 'router')).toHaveLength(1);
    expect(h.keeper.states().router.state).toBe('gave-up');
    expect(h.keeper.states().logd.state).toBe('running');
    expect(h.events).toContainEqual({ ev: 'refused', service: 'router', code: EXIT_NO_RESTART });
  });

  it('gives up after the restart intensity is spent, leaving the others running', () => {
    const h = harness();
    h.keeper.start(['logd', 'router']);
    for (let i = 0; i < 5; i++) {
      h.latest('router').exit(1, null);
      h.advance(5000);
    }
    h.latest('router').exit(1, null);
    expect(h.keeper.states().router.state).toBe('gave-up');
    expect(h.keeper.states().logd.state).toBe('running');
    expect(h.events.at(-1)).toEqual({ ev: 'gave-up', service: 'router', restarts: 5, windowMs: 60_000 });
  });

  it('stop() terminates every child and does not restart them', async () => {
    const h = harness();
    h.keeper.start(['logd', 'registry', 'supervisor', 'router']);
    await h.keeper.stop();
    expect(Object.values(h.keeper.states()).every((s) => s.state === 'stopped')).toBe(true);
    expect(h.children.every((c) => c.signals.includes('SIGTERM'))).toBe(true);
    h.advance(10_000);
    expect(h.children).toHaveLength(4);
  });

  it('the backoff grows and is capped; old restarts leave the window', () => {
    const p = DEFAULT_RESTART_POLICY;
    expect(decideRestart(p, [], 0)).toEqual({ kind: 'restart', delayMs: 100, attempt: 1 });
    expect(decideRestart(p, [1, 2, 3, 4], 10)).toEqual({ kind: 'restart', delayMs: 1600, attempt: 5 });
    expect(decideRestart(p, [1, 2, 3, 4, 5], 10).kind).toBe('give-up');
    expect(decideRestart(p, [1, 2, 3, 4, 5], 70_000)).toEqual({ kind: 'restart', delayMs: 100, attempt: 1 });
  });
});
