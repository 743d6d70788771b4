import { readFakeTranscript, waitFor } from '@iapeer/testing';
import { fakeMessages, field, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// docs/behaviour.md §10 `self-fresh` + §7.6 eager relaunch end to end: an agent asks for a fresh
// session from inside its own (PEER_IDENTITY as the session has it); the supervisor
// marks .new-eager first, kills it, and the next tick relaunches it fresh with the
// peer's initial_prompt as the very first thing the new session receives.
describe('self-fresh: eager fresh relaunch with initial_prompt (real services, real tmux)', () => {
  let w: LifecycleWorld;
  let doraCwd: string;
  const DORA = 'fake-dora';
  const SEED = 'You are dora. Read NOTES.md before anything else.';
  const asDora = () => ({ ...w.sb.env, PEER_PERSONALITY: 'dora', PEER_RUNTIME: 'fake', PEER_IDENTITY: DORA });

  beforeAll(async () => {
    w = await startLifecycleWorld();
    await w.createPeer('alice');
    doraCwd = await w.createPeer('dora', { initialPrompt: SEED });
  });
  afterAll(() => w.close());

  it('a first wake delivers the seed, a blank line, then the message', async () => {
    const r = await w.cli(['send', 'dora', '--from', 'fake-alice', '--message', 'please start on the report', '--topic', 'report']);
    expect(r.code).toBe(0);
    const [first] = fakeMessages(doraCwd);
    expect(first.startsWith(`${SEED}\n\n<iap `)).toBe(true);
    expect(first).toContain('please start on the report');
  });

  it('`iapeer self-fresh` from inside the session marks .new-eager, answers, then the session is killed', async () => {
    const r = await w.cli(['self-fresh'], { env: asDora() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`self-fresh: marked ${DORA} for eager fresh re-launch; self-killing session`);
    await waitFor(async () => !(await w.tmux.isAlive(DORA)), 'dora\'s session to be killed');
    expect(w.markers(DORA)).toEqual(['new-eager', 'session', 'topic']);
  });

  it('the next tick sees the death and relaunches dora fresh with the seed alone as the first message', async () => {
    const { outcomes, relaunched } = await w.sup.client.tick.mutate();
    expect(outcomes.find((o: { identity: string }) => o.identity === DORA)).toMatchObject({ action: 'needs-eager-fresh', outcome: 'eager-relaunch' });
    expect(relaunched).toEqual([{ identity: DORA, result: { status: 'READY', identity: DORA, personality: 'dora', runtime: 'fake', woke: true, taskDelivered: true, mode: 'fresh', cause: 'folder-launch' } }]);
    expect(await w.tmux.isAlive(DORA)).toBe(true);
    const msgs = fakeMessages(doraCwd);
    expect(msgs).toHaveLength(2);
    expect(msgs[1]).toBe(SEED);
    expect(readFakeTranscript(doraCwd).some((r) => r.type === 'resume')).toBe(false);
    // .new-eager consumed; a fresh session starts a new topic set; the death stays counted (§7.6)
    expect(w.markers(DORA)).toEqual(['deaths', 'session']);
  });

  it('a later tick leaves the relaunched session alone (no second relaunch)', async () => {
    const { outcomes, relaunched } = await w.sup.client.tick.mutate();
    expect(outcomes.filter((o: { identity: string }) => o.identity === DORA)).toEqual([expect.objectContaining({ action: 'alive' })]);
    expect(relaunched).toEqual([]);
    expect(fakeMessages(doraCwd)).toHaveLength(2);
  });

  it('refuses to run outside a session, or with a malformed identity, exit 1, nothing marked', async () => {
    const none = await w.cli(['self-fresh']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('self-fresh: PEER_IDENTITY is not set');
    const bad = await w.cli(['self-fresh'], { env: { ...w.sb.env, PEER_IDENTITY: 'dora' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('self-fresh: PEER_IDENTITY "dora" is invalid');
    expect(w.markers(DORA)).not.toContain('new-eager');
  });

  it('lifecycle.log: the eager-relaunch decision and its fresh wake', async () => {
    const lines = await w.waitLifecycle((all) => (linesWith(all, { ev: 'wake', origin: 'eager-relaunch', outcome: 'ready' }).length ? all : undefined), 'the eager relaunch wake line', 'dora');
    expect(linesWith(lines, { ev: 'supervise', action: 'needs-eager-fresh' })).toEqual([
      expect.stringMatching(/^ts=\S+ ev=supervise identity=fake-dora action=needs-eager-fresh reason="self-fresh requested" age=\d+s outcome=eager-relaunch$/),
    ]);
    const wake = linesWith(lines, { ev: 'wake', origin: 'eager-relaunch', outcome: 'ready' })[0];
    expect([field(wake, 'mode'), field(wake, 'cause'), field(wake, 'runtime')]).toEqual(['fresh', 'folder-launch', 'fake']);
  });
});
