import { iapeerCodeOf } from '@iapeer/rpc';
import { waitFor } from '@iapeer/testing';
import { createTmuxDriver } from '@iapeer/tmux';
import { landedCount, sessionsStarted, startRouterStack, type RouterStack } from './support/router-stack';

// Found by the chaos suite under load (one duplicated send): the router is SIGKILLed while
// its wake is in flight; the supervisor goes on bringing the session up and will deliver
// the envelope as the first message. The sender's retry (same key) reaches the new router
// while that session is already up but the supervisor has not pasted yet. The retry must
// wait for the wake in flight (the supervisor's per-identity wake lock), then find its id in
// the transcript — not paste the message live beside the first message.
// A slow machine is modelled by SIGSTOPping the supervisor during the agent's boot.
describe('a keyed retry while the first attempt’s wake is still in flight', () => {
  let rs: RouterStack;

  beforeAll(async () => {
    // the agent shows its prompt only after 4 s: time to stop the supervisor mid-boot
    rs = await startRouterStack(['alice', 'bob'], { FAKE_AGENT_BOOT_DELAY_MS: '4000' });
  }, 60_000);
  afterAll(async () => {
    rs.stack.children.get('supervisor')?.kill('SIGCONT'); // a failed run must not leave it stopped
    await rs.stop();
  }, 60_000);

  it('lands once: the retry waits for the wake in flight instead of pasting beside it', async () => {
    const tmux = createTmuxDriver({ sockDir: rs.sb.paths.sockDir, baseEnv: rs.sb.env });
    const input = { from: 'fake-alice', personality: 'bob', message: 'mid-wake marker-W1', idempotencyKey: 'mid-wake-1' };
    const supervisor = rs.stack.children.get('supervisor')!;

    const router1 = rs.stack.client('router');
    const first = router1.client.send.mutate(input).then(
      () => 'ok',
      (err: unknown) => iapeerCodeOf(err) ?? String(err),
    );
    // the supervisor spawned the session and waits for the agent's prompt (the first message is not pasted yet)
    await waitFor(async () => (await tmux.isAlive('fake-bob')) && (await tmux.capture('fake-bob')).includes('Loading'), 'fake-bob booting', 15_000, 25);
    supervisor.kill('SIGSTOP');
    let resumed = false;
    try {
      expect(await tmux.capture('fake-bob')).not.toMatch(/^❯/m); // still booting: the supervisor cannot have pasted

      await rs.stack.restart('router'); // SIGKILL mid-wake, then a new router on the same root
      expect(await first).toBe('SERVICE_UNAVAILABLE');
      await waitFor(async () => /^❯/m.test(await tmux.capture('fake-bob')), 'fake-bob ready (its prompt shown)', 15_000, 50);

      const router2 = rs.stack.client('router', 10_000);
      let settled = false;
      const retry = router2.client.send.mutate(input).finally(() => (settled = true));
      // give a live paste every chance to happen while the supervisor is held
      await waitFor(() => settled, 'the retry to answer', 3000, 50).catch(() => undefined);
      supervisor.kill('SIGCONT');
      resumed = true;
      expect(await retry).toMatchObject({ ok: true, delivered_to: { personality: 'bob', runtime: 'fake' } });
    } finally {
      if (!resumed) supervisor.kill('SIGCONT');
    }
    // the first wake ends (its outcome line is logged after its first message was confirmed); then count
    await waitFor(async () => (await sessionsStarted(rs.sb, 'fake-bob')) >= 1, 'the first wake of fake-bob to end ready', 30_000, 100);
    expect(landedCount(rs.sb, 'bob', 'marker-W1')).toBe(1);
  });
});
