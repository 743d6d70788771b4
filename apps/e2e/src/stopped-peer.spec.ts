import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { readFakeTranscript, waitFor } from '@iapeer/testing';
import { fakeMessages, field, linesWith, startLifecycleWorld, type LifecycleWorld } from './support/lifecycle-world';

// docs/behaviour.md §7.2 `.stopped`, §7.4 step 6, §7.6 and §10 stop/start end to end: an operator
// stop is durable. Sends are refused with the stop reason, the tick never wakes or counts
// it, and `iapeer start` lifts it; the stop parked the session, so the same topic resumes.
describe('a stopped peer is never woken (real services, real tmux)', () => {
  let w: LifecycleWorld;
  let fayCwd: string;
  const FAY = 'fake-fay';
  const REASON = '"fay" (fake) is stopped and not accepting messages; start it to resume';
  const send = (message: string, topic = 'ledger') => w.cli(['send', 'fay', '--from', 'fake-alice', '--message', message, '--topic', topic]);

  beforeAll(async () => {
    w = await startLifecycleWorld();
    await w.createPeer('alice');
    fayCwd = await w.createPeer('fay');
  });
  afterAll(() => w.close());

  it('`iapeer stop` parks and kills the live session; `list` shows ✕', async () => {
    expect((await send('before the stop')).code).toBe(0);
    expect(await w.tmux.isAlive(FAY)).toBe(true);
    const r = await w.cli(['stop', 'fay']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('fay (fake): stopped');
    expect(await w.tmux.isAlive(FAY)).toBe(false);
    expect(w.markers(FAY)).toEqual(['idle-reaped', 'stopped', 'topic']);
    expect((await w.cli(['list'])).stdout).toMatch(/^fay\s+\[fake\].*✕ fake/m);
  });

  it('a send is refused with the stop reason (exit 1) and nothing reaches the agent', async () => {
    const r = await send('while stopped');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(REASON);
    expect(fakeMessages(fayCwd)).toHaveLength(1);
    expect(await w.tmux.isAlive(FAY)).toBe(false);
  });

  it('the supervisor `wake` refuses it too (FAILED PEER_STOPPED, stopped:true), even with resume', async () => {
    for (const resume of [undefined, true, false]) {
      const r = await w.sup.client.wake.mutate({ personality: 'fay', task: 'x', ...(resume === undefined ? {} : { resume }) });
      expect(r).toEqual({ status: 'FAILED', code: 'PEER_STOPPED', reason: REASON, identity: FAY, stopped: true });
    }
  });

  it('a tick leaves it asleep: no outcome, no relaunch, no death', async () => {
    const { outcomes, relaunched } = await w.sup.client.tick.mutate();
    expect(outcomes.filter((o: { identity: string }) => o.identity === FAY)).toEqual([]);
    expect(relaunched).toEqual([]);
    expect(await w.tmux.isAlive(FAY)).toBe(false);
    const [state] = await w.sup.client.state.query({ personality: 'fay' });
    expect(state).toMatchObject({ status: 'stopped', deathsInWindow: 0 });
  });

  it('`iapeer start` lifts the stop; the next message on the same topic resumes the parked session', async () => {
    const r = await w.cli(['start', 'fay']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('fay (fake): started');
    expect(await w.tmux.isAlive(FAY)).toBe(false); // start launches nothing
    expect((await send('after the start')).code).toBe(0);
    expect(readFakeTranscript(fayCwd).filter((x) => x.type === 'resume')).toHaveLength(1);
    expect(fakeMessages(fayCwd).at(-1)).toContain('after the start');
  });

  it('a session that dies while its peer is stopped is skipped-stopped by the tick, not counted as a death', async () => {
    // a stop cut short (supervisor killed between writing .stopped and the kill) and the agent then exits
    fs.writeFileSync(w.sb.paths.peerStateFile(FAY, 'stopped'), new Date().toISOString() + '\n');
    fs.rmSync(w.sb.paths.peerStateFile(FAY, 'idle-reaped'), { force: true });
    spawnSync('tmux', ['-S', w.sb.paths.tmuxSocket(FAY), 'kill-server']);
    await waitFor(async () => !(await w.tmux.isAlive(FAY)), 'fay\'s session to be gone');
    const { outcomes } = await w.sup.client.tick.mutate();
    expect(outcomes.find((o: { identity: string }) => o.identity === FAY)).toMatchObject({ action: 'skipped-stopped' });
    expect(w.markers(FAY)).toEqual(['idle-reaped', 'stopped', 'topic']); // parked, unenrolled, no .deaths
  });

  it('lifecycle.log: the refusals say cause=stopped; the resumed wake after start', async () => {
    const lines = await w.waitLifecycle((all) => (linesWith(all, { ev: 'supervise', action: 'skipped-stopped' }).length ? all : undefined), 'the skipped-stopped line', 'fay');
    const refusals = linesWith(lines, { ev: 'wake', mode: 'refused', cause: 'stopped' });
    expect(refusals.length).toBeGreaterThanOrEqual(2); // the send, and the direct wakes (possibly storm-folded)
    expect(linesWith(lines, { ev: 'wake', mode: 'resume', cause: 'idle-reaped-resume', outcome: 'ready' })).toHaveLength(1);
    expect(linesWith(lines, { ev: 'supervise', action: 'skipped-stopped' }).map((l) => field(l, 'reason'))).toEqual(['stopped by the operator']);
  });
});
