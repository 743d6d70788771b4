import { iapeerCodeOf } from '@iapeer/rpc';
import { runCli, waitFor } from '@iapeer/testing';
import { deliveryLog, landedCount, sessionsStarted, startRouterStack, type RouterStack } from './support/router-stack';

// A retried send with the same idempotency key returns the first result and lands once,
// within one router process and across a SIGKILL + restart of the router between the two
// calls (the record is on disk before the first call returns).
describe('idempotent sends (idempotencyKey)', () => {
  let rs: RouterStack;

  beforeAll(async () => {
    rs = await startRouterStack(['alice', 'bob', 'carol']);
  }, 60_000);
  afterAll(() => rs.stop(), 60_000);

  async function send(input: Record<string, unknown>) {
    const router = rs.stack.client('router');
    try {
      return await router.client.send.mutate({ from: 'fake-alice', ...input } as never);
    } finally {
      router.close();
    }
  }

  it('a retry with the same key replays the first result and does not deliver again', async () => {
    const input = { personality: 'bob', message: 'once only marker-I1', idempotencyKey: 'retry-1' };
    const first = await send(input);
    expect(first).toMatchObject({ ok: true, woke: true });
    const second = await send(input);
    expect(second).toEqual(first);
    expect(landedCount(rs.sb, 'bob', 'marker-I1')).toBe(1);
    const lines = await waitFor(async () => {
      const l = (await deliveryLog(rs.sb)).filter((x) => x.to === 'bob');
      return l.length >= 2 ? l : undefined;
    }, 'two delivery lines for bob');
    expect(lines.map((l) => [l.ok, l.replay])).toEqual([
      ['true', undefined],
      ['true', 'true'],
    ]);
  });

  it('lands once when the router was SIGKILLed and restarted between the two calls (asleep target: one wake)', async () => {
    const input = { personality: 'carol', message: 'survives a crash marker-I2', topic: 'crash', idempotencyKey: 'retry-2' };
    const first = await send(input);
    expect(first).toMatchObject({ ok: true, woke: true, delivered_to: { personality: 'carol' } });

    const oldPid = rs.stack.children.get('router')!.pid;
    await rs.stack.restart('router'); // SIGKILL, then a new process on the same root
    expect(rs.stack.children.get('router')!.pid).not.toBe(oldPid);

    const retry = await send(input);
    expect(retry).toEqual(first);
    expect(landedCount(rs.sb, 'carol', 'marker-I2')).toBe(1);
    expect(await sessionsStarted(rs.sb, 'fake-carol')).toBe(1);
    await waitFor(async () => (await deliveryLog(rs.sb)).some((l) => l.to === 'carol' && l.replay === 'true'), 'the replay line for carol');
  });

  it('`iapeer send --idempotency-key` across a router SIGKILL: the second run prints the same result, lands once', async () => {
    const args = ['send', 'bob', '--from', 'fake-alice', '--message', 'cli retry marker-I3', '--idempotency-key', 'cli-retry-3', '--json'];
    const first = await runCli(args, rs.sb.env);
    expect(first.code).toBe(0);
    await rs.stack.restart('router');
    const second = await runCli(args, rs.sb.env);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    expect(landedCount(rs.sb, 'bob', 'marker-I3')).toBe(1);
  });

  it('the same key for a different message is refused and delivers nothing', async () => {
    const err = await send({ personality: 'bob', message: 'a different text marker-I4', idempotencyKey: 'retry-1' }).catch((e) => e);
    expect(iapeerCodeOf(err)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((err as Error).message).toContain('message NOT delivered');
    expect(landedCount(rs.sb, 'bob', 'marker-I4')).toBe(0);
  });
});
