import { decodeEnvelope } from '@iapeer/codec';
import { createKeyedSerializer } from '@iapeer/core';
import { FakeWorld, memoryPersistence, memoryQueueFs } from '../testing/in-memory-ports';
import { ComposerHold } from './composer-hold';
import { ComposerQueue } from './composer-queue';
import { seedWorld, sendFrom } from '../testing/send-helpers';

/** Polls a condition with a deadline (drain loops run on real timers: 5–20 ms here). */
async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('composer hold (§6.4): held and waiting targets queue, drain in order, fail without a force-paste', () => {
  let w: FakeWorld;
  beforeEach(() => {
    w = new FakeWorld();
    seedWorld(w);
    w.live.add('claude-alice');
    w.live.add('claude-boris');
  });
  afterEach(() => w.restartRouter());

  const held = () => w.screens.set('claude-alice', { state: 'held', why: 'a human is attached with text in the input row' });
  const ready = () => w.screens.delete('claude-alice');
  const landedAt = (id: string) => (w.landed.get(id) ?? []).map((t) => decodeEnvelope(t).message);

  it('a human typing: the send is queued at once (depth, id, why), nothing is pasted; it lands when the row is free', async () => {
    held();
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'one' });
    expect(r).toMatchObject({ ok: true, queued: true, queuedBy: 'composer', queueDepth: 1, delivered_to: { personality: 'alice', runtime: 'claude' }, woke: false });
    expect(r.queueId).toMatch(/^[0-9a-f]{16}$/);
    expect(r.note).toBe('a human is typing in its input row (a human is attached with text in the input row); it lands when the row is empty, and is never pasted over their text');
    const r2 = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'two' });
    expect(r2.queueDepth).toBe(2);
    expect(w.deliveries).toBe(0);
    expect(w.deliveryLines()).toEqual([
      expect.objectContaining({ ev: 'delivery', ok: true, queued: true, qkind: 'composer', qd: 1 }),
      expect.objectContaining({ ev: 'delivery', ok: true, queued: true, qkind: 'composer', qd: 2 }),
    ]);
    // the row empties: both land, in order, each as its own paste
    ready();
    await until(() => landedAt('claude-alice').length === 2, 'the drain');
    expect(landedAt('claude-alice')).toEqual(['one', 'two']);
    expect(w.deliveryLines().filter((l) => l.ev === 'composer-queue-landed')).toEqual([
      expect.objectContaining({ caller: 'claude-boris', to: 'alice', via: 'claude-alice', id: r.queueId, ok: true, qkind: 'composer' }),
      expect.objectContaining({ id: r2.queueId }),
    ]);
    await expect(w.composer.awaitOutcome(r.queueId!, 10)).resolves.toEqual({ status: 'delivered', delivered_to: { personality: 'alice', runtime: 'claude' } });
  });

  it('FIFO: while anything is held for a target, a new send queues behind it even when the row is free', async () => {
    held();
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'first' });
    // a router that has not resumed its drain yet (just restarted): the row is free, one message held
    await w.restartRouter();
    ready();
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'second' });
    expect(r).toMatchObject({ queued: true, queueDepth: 2, note: expect.stringContaining('earlier messages for it are still held') });
    expect(w.deliveries).toBe(0);
    w.composer.resume();
    await until(() => landedAt('claude-alice').length === 2, 'both');
    expect(landedAt('claude-alice')).toEqual(['first', 'second']);
  });

  it('a dialog on screen: the same hold, and the answer says a dialog is on screen', async () => {
    w.screens.set('claude-alice', { state: 'waiting', why: 'trust-folder' });
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' });
    expect(r).toMatchObject({ queued: true, queuedBy: 'composer', queueDepth: 1 });
    expect(r.note).toBe('a dialog is on screen that a paste would answer (trust-folder); it lands once the dialog is answered, and is never pasted into it');
    expect(w.deliveries).toBe(0);
    ready();
    await until(() => landedAt('claude-alice').length === 1, 'the drain');
  });

  it('a keyed send retried while held is answered from the queue, never queued twice', async () => {
    held();
    const persistence = memoryPersistence();
    const first = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'k', idempotencyKey: 'k-1' }, w.deps(persistence));
    // the router died before it stored the result: the retry finds only the pending record
    persistence.entries = persistence.entries.map((e) => ({ k: e.k, fp: e.fp, at: e.at, pending: true as const }));
    const again = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'k', idempotencyKey: 'k-1' }, w.deps(persistence));
    expect(again).toMatchObject({ queued: true, queueDepth: 1, queueId: first.queueId });
    ready();
    await until(() => landedAt('claude-alice').length === 1, 'the drain');
    await new Promise((r) => setTimeout(r, 50));
    expect(landedAt('claude-alice')).toEqual(['k']);
  });

  it('timeout: not force-pasted; the sender gets "delivery failed" from iapeer; delivery.log says so', async () => {
    held();
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'late', topic: 'plan' });
    w.nowMs += w.composerTimeoutMs + 1;
    await until(() => (w.landed.get('claude-boris') ?? []).length === 1, 'the notice');
    expect(landedAt('claude-alice')).toEqual([]);
    const notice = decodeEnvelope(w.landed.get('claude-boris')![0]);
    expect(notice).toMatchObject({ fromPersonality: 'iapeer', fromRuntime: 'iapeer', topic: 'plan' });
    expect(notice.message).toBe(
      'delivery failed: your message to alice (claude), queued at 2026-01-01T00:00:00.000Z (topic "plan"), was NOT delivered: a human kept text in the input row of claude-alice for 120 s (IAPEER_COMPOSER_QUEUE_TIMEOUT_MS); it was not pasted over it. iapeer never pastes over a human\'s typing or into a dialog. Send it again when they are free.',
    );
    const lines = w.deliveryLines();
    expect(lines.find((l) => l.ev === 'composer-queue-failed')).toMatchObject({ caller: 'claude-boris', to: 'alice', via: 'claude-alice', id: r.queueId, ok: false, reason: 'timeout' });
    expect(lines.find((l) => l.ev === 'composer-queue-failed-notify')).toMatchObject({ caller: 'iapeer', to: 'boris', via: 'claude-boris', ok: true, reason: 'timeout' });
    await expect(w.composer.awaitOutcome(r.queueId!, 10)).resolves.toMatchObject({ status: 'failed', reason: expect.stringContaining('for 120 s') });
  });

  it('a replaced session fails the message (never pasted into the new one); a sender without a live session is only logged', async () => {
    held();
    w.live.delete('claude-boris');
    w.live.add('claude-bot-owner');
    await sendFrom(w, 'claude-bot-owner', { personality: 'alice', message: 'for the old session' });
    w.tokens.set('claude-alice', 'pid:2');
    ready();
    await until(() => w.deliveryLines().some((l) => l.ev === 'composer-queue-failed-notify'), 'the failure');
    expect(landedAt('claude-alice')).toEqual([]);
    expect(w.deliveryLines().find((l) => l.ev === 'composer-queue-failed')).toMatchObject({ reason: 'replaced', err: 'the session claude-alice was replaced before it could land' });
    expect(landedAt('claude-bot-owner')).toEqual(['delivery failed: your message to alice (claude), queued at 2026-01-01T00:00:00.000Z, was NOT delivered: the session claude-alice was replaced before it could land. iapeer never pastes over a human\'s typing or into a dialog. Send it again when they are free.']);

    // the same with a sender that has no live session: no wake for a notice, the log says why
    held();
    w.tokens.set('claude-alice', 'pid:2');
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'x' });
    w.tokens.set('claude-alice', 'pid:3');
    await until(() => w.deliveryLines().filter((l) => l.ev === 'composer-queue-failed-notify').length === 2, 'the second failure');
    expect(w.deliveryLines().filter((l) => l.ev === 'composer-queue-failed-notify')[1]).toMatchObject({ via: 'claude-boris', ok: false, err: 'the sender has no live session; not woken for a notice' });
    expect(w.wakes).toEqual([]);
  });

  it('a notice for a sender who is held itself is held too (and a failed notice notifies nobody)', async () => {
    held();
    w.screens.set('claude-boris', { state: 'held', why: 'typing' });
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'x' });
    w.nowMs += w.composerTimeoutMs + 1;
    await until(() => w.deliveryLines().some((l) => l.ev === 'composer-queue-failed-notify'), 'the notice decision');
    expect(w.deliveryLines().find((l) => l.ev === 'composer-queue-failed-notify')).toMatchObject({ ok: true, queued: true, qd: 1 });
    // the notice is held like any message; when it times out too, nobody is told about it
    w.nowMs += w.composerTimeoutMs + 1;
    await until(() => w.deliveryLines().filter((l) => l.ev === 'composer-queue-failed').length === 2, 'the notice to fail');
    await new Promise((r) => setTimeout(r, 50));
    expect(w.deliveryLines().filter((l) => l.ev === 'composer-queue-failed-notify')).toHaveLength(1);
    expect(w.allLanded()).toEqual([]);
  });

  it('a router restart: held messages drain from disk exactly once', async () => {
    held();
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'survivor' });
    await w.restartRouter();
    ready();
    w.deps(); // the new router
    w.composer.resume();
    await until(() => landedAt('claude-alice').length === 1, 'the drain after restart');
    await new Promise((res) => setTimeout(res, 50));
    expect(landedAt('claude-alice')).toEqual(['survivor']);
    await expect(w.composer.awaitOutcome(r.queueId!, 10)).resolves.toMatchObject({ status: 'delivered' });
  });

  it('a restart between the paste mark and the removal: not pasted again; the sender is told it may have landed', async () => {
    held();
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'maybe' });
    await w.restartRouter();
    // the item as a router killed right before its paste left it
    const [file, text] = [...w.files.entries()][0];
    w.files.set(file, JSON.stringify({ ...JSON.parse(text), attempted: true }));
    ready();
    w.deps();
    w.composer.resume();
    await until(() => (w.landed.get('claude-boris') ?? []).length === 1, 'the notice');
    expect(landedAt('claude-alice')).toEqual([]);
    expect(landedAt('claude-boris')[0]).toContain('it may or may not have landed, and it is not pasted again. Ask them whether it arrived before you send it again.');
  });

  it('awaitOutcome: pending while held (with depth), unknown for an id never held', async () => {
    held();
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'x' });
    await expect(w.composer.awaitOutcome(r.queueId!, 30)).resolves.toEqual({ status: 'pending', depth: 1 });
    await expect(w.composer.awaitOutcome('nope', 30)).resolves.toEqual({ status: 'unknown' });
    const waiting = w.composer.awaitOutcome(r.queueId!, 3000);
    ready();
    await expect(waiting).resolves.toMatchObject({ status: 'delivered' });
  });
});

describe('composer hold: the drain loop backs off, nudged or not', () => {
  it('a nudge that fires at once every time (readers that disagree) still leaves at least the shortest poll between looks', async () => {
    const files = new Map<string, string>();
    let looks = 0;
    const hold = new ComposerHold({
      queue: new ComposerQueue('/q', memoryQueueFs(files)),
      terminal: {
        deliver: async () => ({ ok: true }),
        control: async () => 'done',
        screenState: async () => {
          looks++;
          return { state: 'held', why: 'typing' };
        },
      },
      targets: createKeyedSerializer(),
      clock: { now: () => 0 },
      events: { emit: () => undefined },
      timeoutMs: 60_000,
      nudges: { wait: async () => undefined },
      poll: { min: 100, max: 2000 },
    });
    const dest = { personality: 'bob', runtime: 'claude', identity: 'claude-bob', cwd: '/b' };
    await hold.hold(dest, { envelope: 'x', sender: 'claude-alice', kind: 'send' }, { because: 'held', why: 'typing' });
    await new Promise((r) => setTimeout(r, 500));
    await hold.stop();
    // 500 ms at one look per >= 100 ms: a busy loop would have looked thousands of times
    expect(looks).toBeGreaterThan(0);
    expect(looks).toBeLessThanOrEqual(6);
  });
});
