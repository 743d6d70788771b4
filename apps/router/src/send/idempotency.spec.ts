import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IapeerError, isIapeerError } from '@iapeer/core';
import type { SupervisorPort } from '../ports';
import { FakeWorld, memoryPersistence } from '../testing/in-memory-ports';
import { seedWorld, sendFrom } from '../testing/send-helpers';
import { createIdempotencyFile } from './idempotency-file';
import { IDEMPOTENCY_TTL_MS } from './idempotency';

function world(): FakeWorld {
  const w = new FakeWorld();
  seedWorld(w);
  w.live.add('claude-alice');
  return w;
}
const args = (extra: Record<string, unknown> = {}) => ({ personality: 'alice', message: 'once only', idempotencyKey: 'k-1', ...extra });

describe('idempotent sends', () => {
  it('a retry with the same key returns the first result and does not deliver again', async () => {
    const w = world();
    const deps = w.deps();
    const first = await sendFrom(w, 'claude-boris', args(), deps);
    w.nowMs += 60_000;
    const second = await sendFrom(w, 'claude-boris', args(), deps);
    expect(second).toEqual(first);
    expect(w.landed.get('claude-alice')).toHaveLength(1);
    expect(w.deliveryLines().map((l) => [l.ok, l.replay])).toEqual([
      [true, undefined],
      [true, true],
    ]);
  });

  it('the same key for a different message is refused, nothing delivered', async () => {
    const w = world();
    const deps = w.deps();
    await sendFrom(w, 'claude-boris', args(), deps);
    const err = await sendFrom(w, 'claude-boris', args({ message: 'something else' }), deps).catch((e) => e);
    expect(isIapeerError(err) && err.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(w.landed.get('claude-alice')).toHaveLength(1);
  });

  it('keys are per caller: another caller with the same key sends its own message', async () => {
    const w = world();
    const deps = w.deps();
    await sendFrom(w, 'claude-boris', args(), deps);
    await sendFrom(w, 'claude-bot-owner', args(), deps);
    expect(w.landed.get('claude-alice')).toHaveLength(2);
  });

  it('after 10 minutes the key is forgotten and the send delivers again', async () => {
    const w = world();
    const deps = w.deps();
    await sendFrom(w, 'claude-boris', args(), deps);
    w.nowMs += IDEMPOTENCY_TTL_MS;
    await sendFrom(w, 'claude-boris', args(), deps);
    expect(w.landed.get('claude-alice')).toHaveLength(2);
  });

  it('a failed send stores nothing: the retry with the key delivers once', async () => {
    const w = world();
    const deps = w.deps();
    w.refuseDelivery.set('claude-alice', 'not confirmed; message NOT delivered');
    await expect(sendFrom(w, 'claude-boris', args(), deps)).rejects.toThrow('not confirmed');
    w.refuseDelivery.clear();
    await sendFrom(w, 'claude-boris', args(), deps);
    await sendFrom(w, 'claude-boris', args(), deps);
    expect(w.landed.get('claude-alice')).toHaveLength(1);
  });

  it('a second call with the key while the first runs waits for the first result (in-flight dedupe)', async () => {
    const w = world();
    const deps = w.deps();
    const results = await Promise.all(Array.from({ length: 10 }, () => sendFrom(w, 'claude-boris', args(), deps)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(w.landed.get('claude-alice')).toHaveLength(1);
  });

  it('survives a new router instance on the same persistence', async () => {
    const w = world();
    const persistence = memoryPersistence();
    const first = await sendFrom(w, 'claude-boris', args(), w.deps(persistence));
    const second = await sendFrom(w, 'claude-boris', args(), w.deps(persistence)); // fresh store, same persisted entries
    expect(second).toEqual(first);
    expect(w.landed.get('claude-alice')).toHaveLength(1);
  });

  // Found by the chaos suite: a router SIGKILLed mid-delivery must not make the retry a duplicate.
  describe('a retry after an unknown outcome (pending record)', () => {
    it('the message landed before the router died: the retry answers ok and delivers nothing', async () => {
      const w = world();
      const persistence = memoryPersistence();
      w.cutOff.set('claude-alice', 'after-submit');
      await expect(sendFrom(w, 'claude-boris', args(), w.deps(persistence))).rejects.toThrow('after the submit');
      expect(persistence.entries).toEqual([expect.objectContaining({ pending: true })]);
      const retry = await sendFrom(w, 'claude-boris', args(), w.deps(persistence)); // a new router, same file
      expect(retry).toMatchObject({ ok: true, delivered_to: { personality: 'alice', runtime: 'claude' } });
      expect(w.landed.get('claude-alice')).toHaveLength(1);
      expect(persistence.entries).toEqual([expect.objectContaining({ result: retry })]);
    });

    it('the router died between paste and Enter: the leftover paste is submitted, not doubled', async () => {
      const w = world();
      const persistence = memoryPersistence();
      w.cutOff.set('claude-alice', 'after-paste');
      await expect(sendFrom(w, 'claude-boris', args(), w.deps(persistence))).rejects.toThrow('after the paste');
      await sendFrom(w, 'claude-boris', args(), w.deps(persistence));
      const landed = w.landed.get('claude-alice')!;
      expect(landed).toHaveLength(1);
      expect(landed[0].match(/once only/g)).toHaveLength(1);
    });

    it('the router died mid-wake and the session is up before the supervisor pasted: the retry waits for that wake, delivers nothing', async () => {
      const w = new FakeWorld();
      seedWorld(w); // alice asleep
      const persistence = memoryPersistence();
      // the supervisor as the router sees it: one wake of an identity at a time (its wake lock)
      let finishFirstWake!: () => void;
      const firstWakeDone = new Promise<void>((r) => (finishFirstWake = r));
      let wakes = 0;
      let secondWakeAsked!: () => void;
      const secondWake = new Promise<void>((r) => (secondWakeAsked = r));
      const supervisor: SupervisorPort = {
        ...w.deps(persistence).supervisor!,
        async wake(req) {
          wakes++;
          const identity = `claude-${req.personality}`;
          if (wakes === 1) {
            // the session is spawned and booting; the envelope is pasted as the first message
            // when this wake goes on — but the router that asked was killed meanwhile
            w.live.add(identity);
            void firstWakeDone.then(() => w.land(identity, req.task));
            throw new IapeerError('SERVICE_UNAVAILABLE', 'connection to the supervisor lost');
          }
          secondWakeAsked();
          await firstWakeDone;
          return { status: 'READY', identity, personality: req.personality, runtime: 'claude', woke: false, taskDelivered: false };
        },
        noteTopic: async () => undefined,
      };
      await expect(sendFrom(w, 'claude-boris', args(), { ...w.deps(persistence), supervisor })).rejects.toThrow('connection to the supervisor lost');
      const retry = sendFrom(w, 'claude-boris', args(), { ...w.deps(persistence), supervisor }); // a new router, same file
      // the first wake is held until the retry either answered (a live paste: the bug) or
      // asked the supervisor, whose wake lock makes it wait for the first wake
      await Promise.race([retry.catch(() => undefined), secondWake]);
      finishFirstWake();
      await expect(retry).resolves.toMatchObject({ ok: true, delivered_to: { personality: 'alice', runtime: 'claude' } });
      expect(w.landed.get('claude-alice')).toHaveLength(1);
      expect(w.deliveries).toBe(0); // no live paste: the first wake's message is the one
    });

    it('a live peer the supervisor never wakes (service-managed): the retry still delivers, once', async () => {
      const w = world();
      const persistence = memoryPersistence();
      w.cutOff.set('claude-alice', 'after-paste');
      await expect(sendFrom(w, 'claude-boris', args(), w.deps(persistence))).rejects.toThrow('after the paste');
      w.wakeBehaviour = { kind: 'fail', code: 'LAUNCHD_MANAGED', reason: '"alice" is launchd-managed; the supervisor never wakes it' };
      await expect(sendFrom(w, 'claude-boris', args(), w.deps(persistence))).resolves.toMatchObject({ ok: true, delivered_to: { personality: 'alice', runtime: 'claude' } });
      expect(w.wakes).toHaveLength(1); // asked, refused, then delivered live
      expect(w.landed.get('claude-alice')).toHaveLength(1);
    });

    it('the first attempt never landed: the retry delivers it once', async () => {
      const w = world();
      const persistence = memoryPersistence();
      w.refuseDelivery.set('claude-alice', 'not confirmed; message NOT delivered');
      await expect(sendFrom(w, 'claude-boris', args(), w.deps(persistence))).rejects.toThrow('not confirmed');
      w.refuseDelivery.clear();
      await sendFrom(w, 'claude-boris', args(), w.deps(persistence));
      expect(w.landed.get('claude-alice')).toHaveLength(1);
    });

    it('the envelope of a keyed send carries its id; an unkeyed send has none', async () => {
      const w = world();
      await sendFrom(w, 'claude-boris', args(), w.deps());
      await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'no key' }, w.deps());
      const [keyed, unkeyed] = w.landed.get('claude-alice')!;
      expect(keyed).toMatch(/<iap [^>]* id="[0-9a-f]{16}">/);
      expect(unkeyed).not.toContain(' id="');
    });
  });

  it('persists to <root>/state/iapeer/idempotency.json atomically (0600) and a new instance reads it back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-idem-'));
    try {
      const file = path.join(dir, 'idempotency.json');
      const w = world();
      const first = await sendFrom(w, 'claude-boris', args(), w.deps(createIdempotencyFile(file)));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dir)).toEqual(['idempotency.json']); // no temp file left behind
      expect(fs.readFileSync(file, 'utf8')).not.toContain('once only'); // bodies are never stored, only a hash
      const second = await sendFrom(w, 'claude-boris', args(), w.deps(createIdempotencyFile(file)));
      expect(second).toEqual(first);
      expect(w.landed.get('claude-alice')).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable store file is reported and treated as empty', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-idem-'));
    try {
      const file = path.join(dir, 'idempotency.json');
      fs.writeFileSync(file, '{not json');
      const seen: unknown[] = [];
      expect(createIdempotencyFile(file, (e) => seen.push(e)).load()).toEqual([]);
      expect(seen).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
