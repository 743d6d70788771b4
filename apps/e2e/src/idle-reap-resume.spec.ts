import { readFakeTranscript, waitFor } from '@iapeer/testing';
import { fakeMessages, field, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// docs/behaviour.md §7.5/§7.6 end to end: the tick reaps an idle session (the only death the
// system initiates) and parks it; the next message resumes the conversation only when it
// continues a topic of that session, and comes up fresh otherwise.
describe('idle reap, then resume on the same topic and fresh on a new one (real services, real tmux)', () => {
  let w: LifecycleWorld;
  let bobCwd: string;
  const BOB = 'fake-bob';

  const send = (message: string, topic?: string) => w.cli(['send', 'bob', '--from', 'fake-alice', '--message', message, ...(topic ? ['--topic', topic] : []), '--json']);
  /** Ticks until the tick reaps bob for idleness (IAPEER_IDLE_SECS=1); returns that outcome. */
  const reapIdle = () =>
    waitFor(async () => (await w.sup.client.tick.mutate()).outcomes.find((o: { identity: string; action: string }) => o.identity === BOB && o.action === 'reaped-idle'), 'the tick to reap bob as idle');
  const resumeRecords = () => readFakeTranscript(bobCwd).filter((r) => r.type === 'resume');

  beforeAll(async () => {
    w = await startLifecycleWorld({ IAPEER_IDLE_SECS: '1' });
    await w.createPeer('alice');
    bobCwd = await w.createPeer('bob');
  });
  afterAll(() => w.close());

  it('a first message wakes bob fresh (first-wake) and records the topic', async () => {
    const r = await send('first message on alpha', 'alpha');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true });
    expect(await w.tmux.isAlive(BOB)).toBe(true);
    expect(w.markers(BOB)).toEqual(['session', 'topic']);
    const [state] = await w.sup.client.state.query({ personality: 'bob' });
    expect(state).toMatchObject({ status: 'live', markers: { topics: ['alpha'], idleReaped: false } });
  });

  it('the tick reaps the idle session: killed, parked (.idle-reaped), unenrolled, no death', async () => {
    const o = await reapIdle();
    expect(o).toMatchObject({ action: 'reaped-idle', outcome: 'resume-eligible' });
    expect(await w.tmux.isAlive(BOB)).toBe(false);
    expect(w.markers(BOB)).toEqual(['idle-reaped', 'topic']);
    const [state] = await w.sup.client.state.query({ personality: 'bob' });
    expect(state).toMatchObject({ status: 'asleep', deathsInWindow: 0, markers: { session: null, idleReaped: true } });
  });

  it('a message on the same topic resumes: the agent is started with --resume and sees its history', async () => {
    const r = await send('second message, still alpha', 'alpha');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true });
    expect(resumeRecords()).toEqual([{ type: 'resume', count: 1 }]);
    const msgs = fakeMessages(bobCwd);
    expect(msgs).toHaveLength(2);
    expect(msgs[1]).toContain('second message, still alpha');
    // the park is consumed; the topic set is kept (a resumed session continues it)
    expect(w.markers(BOB)).toEqual(['session', 'topic']);
  });

  it('after another reap, a message on a NEW topic comes up fresh and resets the topic set', async () => {
    await reapIdle();
    const r = await send('third message, on beta', 'beta');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true });
    expect(resumeRecords()).toHaveLength(1); // no second --resume
    const [state] = await w.sup.client.state.query({ personality: 'bob' });
    expect(state.markers.topics).toEqual(['beta']);
  });

  it('after another reap, a message with no topic comes up fresh too', async () => {
    await reapIdle();
    const r = await send('fourth message, no topic');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, woke: true });
    expect(resumeRecords()).toHaveLength(1);
    expect(fakeMessages(bobCwd).at(-1)).toContain('fourth message, no topic');
  });

  it('lifecycle.log holds each decision, in order, with §7.9 fields', async () => {
    const lines = await w.waitLifecycle((all) => {
      const l = all.filter((x) => field(x, 'identity') === BOB && (field(x, 'outcome') === 'ready' || field(x, 'action') === 'reaped-idle'));
      return l.length >= 7 ? l : undefined;
    }, 'four ready wakes and three idle reaps of bob in lifecycle.log', 'bob');
    const summary = lines.map((l) => (field(l, 'ev') === 'wake' ? `wake ${field(l, 'mode')} ${field(l, 'cause')}` : `supervise ${field(l, 'action')}`));
    expect(summary).toEqual([
      'wake fresh first-wake',
      'supervise reaped-idle',
      'wake resume idle-reaped-resume',
      'supervise reaped-idle',
      'wake fresh idle-reaped-new-topic',
      'supervise reaped-idle',
      'wake fresh idle-reaped-no-topic',
    ]);
    const reap = linesWith(lines, { ev: 'supervise', action: 'reaped-idle' })[0];
    expect(reap).toMatch(/^ts=\S+ ev=supervise identity=fake-bob action=reaped-idle reason="idle \d+s > 1s" age=\d+s outcome=resume-eligible$/);
    // the resume decision names what it resumes from (the manifest's activity glob)
    const all = await w.lifecycle('bob');
    expect(linesWith(all, { ev: 'wake', mode: 'resume', cause: 'idle-reaped-resume' }).some((l) => field(l, 'ref') === 'transcript.jsonl')).toBe(true);
  });
});
