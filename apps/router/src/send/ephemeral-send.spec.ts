import { isIapeerError } from '@iapeer/core';
import { FakeWorld } from '../testing/in-memory-ports';
import { seedWorld, sendFrom } from '../testing/send-helpers';

// §6.2 step 4 and §7.7 on the router's side: every message to an ephemeral worker is
// queued with the supervisor (never pasted, never a wake from here), the sender is told
// queued/queuedBy/queueDepth, and an ephemeral caller whose message was accepted is armed.
function world(): FakeWorld {
  const w = new FakeWorld();
  seedWorld(w);
  w.addPeer({ personality: 'worker', runtimes: ['claude', 'codex'], wakePolicy: 'ephemeral' });
  return w;
}

const TS = '2026-01-01T00:00:00.000Z';

describe('send to an ephemeral worker (§7.7)', () => {
  it('queues the envelope for the default runtime and answers queued, queuedBy, queueDepth: nothing pasted, nothing woken', async () => {
    const w = world();
    const r = await sendFrom(w, 'claude-boris', { personality: 'worker', message: 'build the report', topic: 'q3' });
    expect(r).toEqual({ ok: true, delivered_to: { personality: 'worker', runtime: 'claude' }, woke: false, ts: TS, queued: true, queuedBy: 'ephemeral', queueDepth: 1 });
    const [item] = w.queues.get('claude-worker')!;
    expect(item.topic).toBe('q3');
    expect(item.task).toContain('<iap from-personality="boris" from-runtime="claude" from-intelligence="artificial" topic="q3">');
    expect(item.task).toContain('<message><![CDATA[build the report]]></message>');
    expect(w.wakes).toEqual([]);
    expect(w.allLanded()).toEqual([]);
  });

  it('queues even while the worker is live (one task per session), serially: the second is behind the first', async () => {
    const w = world();
    w.live.add('claude-worker');
    const first = await sendFrom(w, 'claude-boris', { personality: 'worker', message: 'one' });
    const second = await sendFrom(w, 'claude-alice', { personality: 'worker', message: 'two' });
    expect([first.queueDepth, second.queueDepth]).toEqual([1, 2]);
    expect(w.queues.get('claude-worker')!.map((i) => i.task.match(/CDATA\[(\w+)\]/)![1])).toEqual(['one', 'two']);
    expect(w.allLanded()).toEqual([]);
  });

  it('an explicit runtime queues for that identity', async () => {
    const w = world();
    const r = await sendFrom(w, 'claude-boris', { personality: 'worker', runtime: 'codex', message: 'x' });
    expect(r.delivered_to).toEqual({ personality: 'worker', runtime: 'codex' });
    expect(w.queues.get('codex-worker')).toHaveLength(1);
  });

  it('refuses a send to itself before anything is queued', async () => {
    const w = world();
    const err = await sendFrom(w, 'claude-worker', { personality: 'worker', message: 'me again' }).catch((e: unknown) => e);
    expect(isIapeerError(err) && [err.code, err.message]).toEqual(['SEND_REJECTED', 'cannot send to self']);
    expect(w.queues.size).toBe(0);
    expect(w.arms).toEqual([]);
  });

  it('delivery.log says queued, the kind and the depth', async () => {
    const w = world();
    await sendFrom(w, 'claude-boris', { personality: 'worker', message: 'a' });
    await sendFrom(w, 'claude-boris', { personality: 'worker', message: 'b' });
    expect(w.deliveryLines().map((l) => [l.ok, l.via, l.woke, l.queued, l.qkind, l.qd])).toEqual([
      [true, 'claude-worker', false, true, 'ephemeral', 1],
      [true, 'claude-worker', false, true, 'ephemeral', 2],
    ]);
  });

  it('a keyed retry of a queued send answers the first result and queues nothing more', async () => {
    const w = world();
    const deps = w.deps();
    const a = await sendFrom(w, 'claude-boris', { personality: 'worker', message: 'once', idempotencyKey: 'k' }, deps);
    const b = await sendFrom(w, 'claude-boris', { personality: 'worker', message: 'once', idempotencyKey: 'k' }, deps);
    expect(b).toEqual(a);
    expect(w.queues.get('claude-worker')).toHaveLength(1);
  });
});

describe('arm on outbound (§7.7)', () => {
  it('arms an ephemeral caller after its message landed', async () => {
    const w = world();
    w.live.add('claude-boris');
    await sendFrom(w, 'claude-worker', { personality: 'boris', message: 'here is your report' });
    expect(w.landed.get('claude-boris')).toHaveLength(1);
    expect(w.arms).toEqual([{ identity: 'claude-worker', origin: 'outbound' }]);
  });

  it('arms it when its message was queued for another worker too', async () => {
    const w = world();
    w.addPeer({ personality: 'helper', wakePolicy: 'ephemeral' });
    await sendFrom(w, 'claude-worker', { personality: 'helper', message: 'sub-task' });
    expect(w.arms).toEqual([{ identity: 'claude-worker', origin: 'outbound' }]);
  });

  it('never arms an ordinary caller, nor an ephemeral one whose message failed', async () => {
    const w = world();
    w.live.add('claude-alice');
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' });
    w.refuseDelivery.set('claude-alice', 'not confirmed; message NOT delivered');
    await expect(sendFrom(w, 'claude-worker', { personality: 'alice', message: 'reply' })).rejects.toThrow('NOT delivered');
    expect(w.arms).toEqual([]);
  });
});
