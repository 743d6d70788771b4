import { waitFor } from '@iapeer/testing';
import { fakeMessages, field, installMisbehavingRuntime, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// docs/behaviour.md §7.4 step 7.4 end to end: an agent that dies after every message is
// relaunched until IAPEER_CRASHLOOP_MAX deaths fall in the window, then left asleep with
// the guard's reason; `iapeer start` and `iapeer new` are the operator's ways out.
describe('crash-loop guard (real services, real tmux, a fake agent that crashes)', () => {
  let w: LifecycleWorld;
  let carlCwd: string;
  const CARL = 'crashy-carl';
  const REASON = 'crash-loop guard: 3 deaths in 300s, leaving asleep';

  const send = (message: string) => w.cli(['send', 'carl', '--from', 'fake-alice', '--message', message]);
  const deadPane = () => waitFor(async () => (await w.tmux.inspect(CARL)).state === 'dead', 'the crashed agent to leave a dead pane');

  beforeAll(async () => {
    w = await startLifecycleWorld({ IAPEER_CRASHLOOP_MAX: '3', IAPEER_CRASHLOOP_WINDOW_SECS: '300' });
    installMisbehavingRuntime(w.sb, 'crashy', { crashAfter: 1 });
    await w.createPeer('alice');
    carlCwd = await w.createPeer('carl', { runtime: 'crashy' });
  });
  afterAll(() => w.close());

  it('a message wakes carl, who takes it and dies; `list` shows the dead pane as asleep (○), not live', async () => {
    await send('message 1');
    expect(fakeMessages(carlCwd)).toEqual([expect.stringContaining('message 1')]);
    await deadPane();
    const list = await w.cli(['list']);
    expect(list.stdout).toMatch(/^carl\s+\[crashy\].*○ crashy/m);
    expect(JSON.parse((await w.cli(['list', '--json'])).stdout).find((r: { personality: string }) => r.personality === 'carl').runtimes).toEqual([{ runtime: 'crashy', status: 'asleep' }]);
  });

  it('the tick records the death (reaped-gone) and clears the dead session', async () => {
    const { outcomes } = await w.sup.client.tick.mutate();
    expect(outcomes.find((o: { identity: string }) => o.identity === CARL)).toMatchObject({ action: 'reaped-gone', outcome: 'fresh-next-msg' });
    expect(w.markers(CARL)).toEqual(['deaths']);
    expect((await w.tmux.inspect(CARL)).state).toBe('absent');
  });

  it('each further message relaunches it fresh until the third death; then the guard leaves it asleep', async () => {
    for (const n of [2, 3]) {
      await send(`message ${n}`);
      await deadPane();
      // no tick here: the next wake's heal records the death (§7.4 step 1)
    }
    const r = await send('message 4');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(REASON);
    expect(fakeMessages(carlCwd)).toHaveLength(3); // message 4 never reached an agent
    expect((await w.tmux.inspect(CARL)).state).toBe('absent');
    const [state] = await w.sup.client.state.query({ personality: 'carl' });
    expect(state).toMatchObject({ status: 'asleep', deathsInWindow: 3, markers: { session: null } });
  });

  it('the supervisor `wake` answers FAILED CRASH_LOOP with the same reason, and a tick does not relaunch it', async () => {
    const r = await w.sup.client.wake.mutate({ personality: 'carl', task: 'x' });
    expect(r).toEqual({ status: 'FAILED', code: 'CRASH_LOOP', reason: REASON, identity: CARL });
    const { outcomes, relaunched } = await w.sup.client.tick.mutate();
    expect(outcomes.filter((o: { identity: string }) => o.identity === CARL)).toEqual([]);
    expect(relaunched).toEqual([]);
    expect(await w.tmux.isAlive(CARL)).toBe(false);
  });

  it('`iapeer new` is a way out: the guard is lifted and a fresh bare session comes up', async () => {
    const r = await w.cli(['new', 'carl']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('new:'); // only the plain progress lines of a non-TTY run
    expect(r.stdout).toContain('launched crashy-carl (fresh)');
    expect(await w.tmux.isAlive(CARL)).toBe(true);
    expect(w.markers(CARL)).toEqual(['session']);
  });

  it('`iapeer start` is the other way out: after three more deaths it clears the history and the next message wakes it', async () => {
    for (const n of [5, 6, 7]) {
      await send(`message ${n}`);
      await deadPane();
    }
    expect((await send('message 8')).stderr).toContain(REASON);
    const started = await w.cli(['start', 'carl']);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('carl (crashy): started');
    const r = await send('message 9');
    expect(r.stderr).not.toContain('crash-loop');
    expect(fakeMessages(carlCwd).at(-1)).toContain('message 9');
    // five wakes and three deaths; each heal may wait for the dead pane's exit record
    // (the pane-died hook starts a node process: slow on a loaded host)
  }, 90_000);

  it('lifecycle.log shows the deaths and the refusals with the guard reason', async () => {
    const lines = await w.waitLifecycle((all) => (linesWith(all, { ev: 'wake', mode: 'refused', cause: 'crash-loop' }).length >= 3 ? all : undefined), 'three crash-loop refusals of carl', 'carl');
    const refused = linesWith(lines, { ev: 'wake', mode: 'refused', cause: 'crash-loop' });
    expect(refused.every((l) => field(l, 'reason') === REASON && field(l, 'identity') === CARL)).toBe(true);
    expect(linesWith(lines, { ev: 'supervise', action: 'reaped-gone', identity: CARL }).length).toBeGreaterThanOrEqual(6);
    expect(linesWith(lines, { ev: 'wake', origin: 'new', mode: 'fresh', outcome: 'ready' })).toHaveLength(1);
  });
});
