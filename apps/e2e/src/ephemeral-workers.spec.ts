import { readPeerProfile, writePeerProfile } from '@iapeer/profiles';
import { CLI_BIN, readFakeTranscript, waitFor } from '@iapeer/testing';
import { fakeMessages, field, installMisbehavingRuntime, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// docs/behaviour.md §7.7 end to end (real services, real tmux, the fake agent): a peer with
// wake_policy "ephemeral" takes one message per session. Every send to it is queued on disk
// and answered at once (queued, queuedBy, queueDepth); the supervisor hands the queue's head
// to a fresh session whenever the worker is asleep; a worker whose reply was delivered (or
// that ran `iapeer self-done`) is armed and reaped once quiet; one that never arms is
// bounded by IAPEER_EPHEMERAL_UNARMED_IDLE_SECS. The tick is driven through `tick`.
describe('ephemeral workers: serial queue, quiet reap, self-done, unarmed bound (real services, real tmux)', () => {
  let w: LifecycleWorld;
  let workerCwd: string;
  let soloCwd: string;
  const WORKER = 'fakereply-worker';
  const SOLO = 'fake-solo';

  type Outcome = { identity: string; action: string; reason?: string };
  type TickReport = { outcomes: Outcome[]; drained: Array<{ identity: string; seq: string; result: { status: string } }> };
  const send = (to: string, message: string, topic: string, json = true) =>
    w.cli(['send', to, '--from', 'fake-alice', '--message', message, '--topic', topic, ...(json ? ['--json'] : [])]);
  const state = async (personality: string) => (await w.sup.client.state.query({ personality }))[0];
  const ephemeral = (cwd: string) => {
    const read = readPeerProfile(cwd);
    if (read.state !== 'ok') throw new Error(`profile of ${cwd}: ${read.state}`);
    writePeerProfile(cwd, { ...read.profile, wake_policy: 'ephemeral' });
  };
  /** Ticks until the tick reaps `identity` as an ephemeral worker; every tick report seen on the way. */
  const tickUntilReaped = async (identity: string) => {
    const seen: TickReport[] = [];
    const report = await waitFor(
      async () => {
        const r = (await w.sup.client.tick.mutate()) as TickReport;
        seen.push(r);
        return r.outcomes.some((o) => o.identity === identity && o.action === 'reaped-ephemeral') ? r : undefined;
      },
      `the tick to reap ${identity} as an ephemeral worker`,
      30_000,
      200,
    );
    return { report, reap: report.outcomes.find((o) => o.identity === identity)!, seen };
  };
  const replies = (cwd: string) => readFakeTranscript(cwd).filter((r) => r.type === 'reply' && (r as { ok?: boolean }).ok);

  beforeAll(async () => {
    w = await startLifecycleWorld({ IAPEER_EPHEMERAL_QUIET_SECS: '1', IAPEER_EPHEMERAL_UNARMED_IDLE_SECS: '3' });
    // the worker answers every message through the CLI, as an agent calls send_to_peer
    installMisbehavingRuntime(w.sb, 'fakereply', { replyCmd: [process.execPath, CLI_BIN, 'send'] });
    await w.createPeer('alice');
    workerCwd = await w.createPeer('worker', { runtime: 'fakereply' });
    soloCwd = await w.createPeer('solo');
    ephemeral(workerCwd);
    ephemeral(soloCwd);
  });
  afterAll(() => w.close());

  it('a send to an asleep ephemeral worker is queued (depth 1), then drained into a fresh session that replies', async () => {
    const r = await send('worker', 'job one', 'job-1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, delivered_to: { personality: 'worker', runtime: 'fakereply' }, woke: false, ts: expect.any(String), queued: true, queuedBy: 'ephemeral', queueDepth: 1 });
    await waitFor(() => fakeMessages(workerCwd).length === 1, 'the drain to hand job one to a fresh worker session');
    expect(fakeMessages(workerCwd)[0]).toContain('job one');
    await waitFor(() => replies(workerCwd).length === 1, "the worker's reply to alice");
    // its reply was delivered: the router armed it
    await waitFor(async () => (await state('worker')).markers.ephemeralArmed, 'the worker to be armed by its reply');
    expect(await state('worker')).toMatchObject({ status: 'live', queueDepth: 0 });
  });

  it('two more sends while the worker is busy wait in its queue, serialised: depth 1, then 2; nothing is pasted', async () => {
    const second = await send('worker', 'job two', 'job-2');
    expect(JSON.parse(second.stdout)).toMatchObject({ queued: true, queuedBy: 'ephemeral', queueDepth: 1 });
    const third = await send('worker', 'job three', 'job-3', false);
    expect([third.code, third.stdout, third.stderr]).toEqual([0, 'queued for worker (fakereply), depth 2 — the supervisor tick drains it\n', '']);
    expect(await state('worker')).toMatchObject({ status: 'live', queueDepth: 2 });
    expect(fakeMessages(workerCwd)).toHaveLength(1); // one task per session
  });

  it('the quiet reap ends the armed worker (no death, no park) and the same tick hands job two to a fresh session', async () => {
    const { reap, report } = await tickUntilReaped(WORKER);
    expect(reap).toMatchObject({ action: 'reaped-ephemeral', reason: 'ephemeral-done' });
    expect(report.drained).toEqual([{ identity: WORKER, seq: '000001', result: expect.objectContaining({ status: 'READY', taskDelivered: true, mode: 'fresh', cause: 'ephemeral-policy' }) }]);
    const msgs = fakeMessages(workerCwd);
    expect(msgs).toHaveLength(2);
    expect(msgs[1]).toContain('job two');
    expect(msgs[1].startsWith('<iap ')).toBe(true); // the first message of a fresh session
    expect(readFakeTranscript(workerCwd).some((r) => r.type === 'resume')).toBe(false);
    const s = await state('worker');
    expect(s).toMatchObject({ status: 'live', queueDepth: 1, deathsInWindow: 0, markers: { idleReaped: false } });
  });

  it('job three follows the same way, and then the queue is empty', async () => {
    await waitFor(async () => (await state('worker')).markers.ephemeralArmed, 'the reply to job two to arm the worker');
    const { reap, report } = await tickUntilReaped(WORKER);
    expect(reap.reason).toBe('ephemeral-done');
    expect(report.drained.map((d) => [d.identity, d.seq, d.result.status])).toEqual([[WORKER, '000002', 'READY']]);
    expect(fakeMessages(workerCwd).map((m) => /job (\w+)/.exec(m)?.[1])).toEqual(['one', 'two', 'three']);
    await waitFor(async () => (await state('worker')).markers.ephemeralArmed, 'the reply to job three to arm the worker');
    const last = await tickUntilReaped(WORKER);
    expect(last.report.drained).toEqual([]);
    expect(await state('worker')).toMatchObject({ status: 'asleep', queueDepth: 0, deathsInWindow: 0 });
    // no session, no armed marker, no park, no deaths; the (empty) queue directory stays for the next message
    expect(w.markers(WORKER)).toEqual(['queue', 'topic']);
  });

  it('`iapeer self-done` arms a worker that does not reply; the tick then reaps it as done', async () => {
    expect(JSON.parse((await send('solo', 'quiet job', 'solo-1')).stdout)).toMatchObject({ queued: true, queueDepth: 1 });
    await waitFor(() => fakeMessages(soloCwd).length === 1, 'the drain to hand the job to solo');
    const r = await w.cli(['self-done'], { env: { ...w.sb.env, PEER_IDENTITY: SOLO } });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `self-done: ${SOLO} armed; the supervisor ends this session after 1s of quiet\n`, '']);
    expect((await state('solo')).markers.ephemeralArmed).toBe(true);
    const { reap } = await tickUntilReaped(SOLO);
    expect(reap.reason).toBe('ephemeral-done');
    expect((await state('solo')).markers.ephemeralArmed).toBe(false);
  });

  it('a worker that never arms is reaped by the unarmed bound (IAPEER_EPHEMERAL_UNARMED_IDLE_SECS), never as done', async () => {
    await send('solo', 'another quiet job', 'solo-2');
    await waitFor(() => fakeMessages(soloCwd).length === 2, 'the drain to hand the second job to solo');
    const { reap, seen } = await tickUntilReaped(SOLO);
    expect(reap).toMatchObject({ action: 'reaped-ephemeral', reason: 'ephemeral-unarmed-bound' });
    expect(seen.flatMap((r) => r.outcomes).filter((o) => o.identity === SOLO && o.action !== 'alive')).toEqual([reap]);
    expect(await state('solo')).toMatchObject({ status: 'asleep', deathsInWindow: 0, markers: { idleReaped: false } });
  });

  it('queued messages survive a SIGKILL of the supervisor and the router, and are each handed to their own session, in order', async () => {
    const asSolo = { env: { ...w.sb.env, PEER_IDENTITY: SOLO } };
    await send('solo', 'job A', 'solo-3');
    await waitFor(() => fakeMessages(soloCwd).length === 3, 'job A in a fresh solo session');
    expect(JSON.parse((await send('solo', 'job B', 'solo-4')).stdout)).toMatchObject({ queued: true, queueDepth: 1 });
    expect(JSON.parse((await send('solo', 'job C', 'solo-5')).stdout)).toMatchObject({ queued: true, queueDepth: 2 });
    await w.stack.kill('router');
    await w.stack.restart('supervisor'); // SIGKILL, then a new process on the same root
    await w.stack.start(['router']);
    // nothing accepted is lost: B and C are queued or (the new supervisor's first pass may
    // have reaped A's session by now) already handed over
    expect((await state('solo')).queueDepth + fakeMessages(soloCwd).length - 3).toBe(2);
    await waitFor(
      async () => {
        const s = await state('solo');
        if (fakeMessages(soloCwd).length === 5 && s.queueDepth === 0) return true;
        if (s.status === 'live') await w.cli(['self-done'], asSolo);
        await w.sup.client.tick.mutate();
        return false;
      },
      'jobs B and C to be handed to solo, one session each',
      60_000,
      300,
    );
    expect(fakeMessages(soloCwd).slice(2).map((m) => /job (\w)/.exec(m)?.[1])).toEqual(['A', 'B', 'C']);
    expect(readFakeTranscript(soloCwd).some((r) => r.type === 'resume')).toBe(false);
    expect((await state('solo')).deathsInWindow).toBe(0);
  });

  it('self-done outside a session exits 1; for a peer that is not ephemeral it warns and exits 0', async () => {
    const none = await w.cli(['self-done']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('self-done: PEER_IDENTITY is not set');
    const plain = await w.cli(['self-done'], { env: { ...w.sb.env, PEER_IDENTITY: 'fake-alice' } });
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('self-done: warning: "alice" is not an ephemeral peer');
  });

  it('a send from the worker to itself is refused and nothing is queued', async () => {
    const r = await w.cli(['send', 'worker', '--from', WORKER, '--message', 'note to self', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, code: 'SEND_REJECTED', error: 'cannot send to self' });
    expect((await state('worker')).queueDepth).toBe(0);
  });

  it('lifecycle.log has one ev=ephemeral-drain line per handed-over job, in the §7.9 format; delivery.log has the queue facts', async () => {
    const lines = await w.waitLifecycle((all) => (linesWith(all, { ev: 'ephemeral-drain' }).length >= 3 ? all : undefined), 'three ephemeral-drain lines for the worker', WORKER);
    expect(linesWith(lines, { ev: 'ephemeral-drain' })).toEqual([
      expect.stringMatching(/^ts=\S+ ev=ephemeral-drain identity=fakereply-worker seq=000001 depth=1 topic=job-1$/),
      expect.stringMatching(/^ts=\S+ ev=ephemeral-drain identity=fakereply-worker seq=000001 depth=2 topic=job-2$/),
      expect.stringMatching(/^ts=\S+ ev=ephemeral-drain identity=fakereply-worker seq=000002 depth=1 topic=job-3$/),
    ]);
    // each drain's wake: fresh by the ephemeral policy, asked for by the drain
    const wakes = linesWith(lines, { ev: 'wake', origin: 'ephemeral-drain', outcome: 'ready' });
    expect(wakes.map((l) => [field(l, 'mode'), field(l, 'cause')])).toEqual(Array(3).fill(['fresh', 'ephemeral-policy']));
    expect(linesWith(lines, { ev: 'supervise', action: 'reaped-ephemeral' }).map((l) => field(l, 'reason'))).toEqual(['ephemeral-done', 'ephemeral-done', 'ephemeral-done']);
    const delivery = (await w.stack.client('logd').client.query.query({ log: 'delivery', n: 1000 })).lines as string[];
    expect(delivery.filter((l) => field(l, 'to') === 'worker' && field(l, 'ok') === 'true').map((l) => [field(l, 'queued'), field(l, 'qkind'), field(l, 'qd')])).toEqual([
      ['true', 'ephemeral', '1'],
      ['true', 'ephemeral', '1'],
      ['true', 'ephemeral', '2'],
    ]);
  });
});
