import { isIapeerError } from '@iapeer/core';
import { FakeWorld } from '../testing/in-memory-ports';
import { seedWorld, sendFrom } from '../testing/send-helpers';
import { routeSend } from './route-send';
import { resolveCaller } from '../caller/resolve-caller';

function world(): FakeWorld {
  const w = new FakeWorld();
  seedWorld(w);
  return w;
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (!isIapeerError(err)) throw err;
    return { code: err.code, message: err.message };
  }
  throw new Error('expected the send to be refused');
}

/** A refusal changed nothing: no wake, nothing landed, one ok=false line with the error. */
function expectNothingChanged(w: FakeWorld, message: string) {
  expect(w.wakes).toEqual([]);
  expect(w.allLanded()).toEqual([]);
  const lines = w.deliveryLines();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ ev: 'delivery', ok: false, err: message });
}

describe('routeSend: live target (§6.2 step 5)', () => {
  it('delivers the envelope once into the live session and answers woke:false', async () => {
    const w = world();
    w.live.add('claude-alice');
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hello', topic: 'release' });
    expect(r).toEqual({ ok: true, delivered_to: { personality: 'alice', runtime: 'claude' }, woke: false, ts: '2026-01-01T00:00:00.000Z' });
    const landed = w.landed.get('claude-alice')!;
    expect(landed).toHaveLength(1);
    expect(landed[0]).toContain('<iap from-personality="boris" from-runtime="claude" from-intelligence="artificial" topic="release">');
    expect(landed[0]).toContain('<message><![CDATA[hello]]></message>');
    expect(w.wakes).toEqual([]);
  });

  it('notes the topic with the supervisor after a live delivery (ev=topic-note)', async () => {
    const w = world();
    w.live.add('claude-alice');
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi', topic: ' release ' });
    expect(w.topics).toEqual([{ identity: 'claude-alice', topic: 'release' }]);
  });

  it('a stale socket (the quick check says "maybe live") falls back to the wake; the message lands once', async () => {
    const w = world();
    w.staleSockets.add('claude-alice');
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'after a crash' });
    expect(r).toMatchObject({ ok: true, delivered_to: { personality: 'alice', runtime: 'claude' }, woke: true });
    expect(w.wakes).toHaveLength(1);
    expect(w.landed.get('claude-alice')).toHaveLength(1);
  });

  it('a stale socket of the default runtime with another runtime live delivers there, without a wake', async () => {
    const w = world();
    w.staleSockets.add('claude-alice');
    w.live.add('codex-alice');
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' });
    expect(r).toMatchObject({ delivered_to: { personality: 'alice', runtime: 'codex' }, woke: false });
    expect(w.wakes).toEqual([]);
  });

  it('uses the single live runtime when the default is asleep', async () => {
    const w = world();
    w.live.add('codex-alice');
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' });
    expect(r.delivered_to).toEqual({ personality: 'alice', runtime: 'codex' });
  });

  it('refuses a target live in several runtimes, none named', async () => {
    const w = world();
    w.addPeer({ personality: 'multi', default_runtime: 'gemini', runtimes: ['gemini', 'claude', 'codex'] });
    w.live.add('claude-multi').add('codex-multi');
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'multi', message: 'hi' }));
    expect(e).toEqual({ code: 'TARGET_AMBIGUOUS', message: 'multi is online in multiple runtimes (claude, codex) — specify runtime' });
    expectNothingChanged(w, e.message);
  });

  it('reports a delivery that was not confirmed as a failure with the reason (never ok)', async () => {
    const w = world();
    w.live.add('claude-alice');
    const reason = 'peer "alice" (claude) is listed live but did not accept the message within 4000 ms; message NOT delivered';
    w.refuseDelivery.set('claude-alice', reason);
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' }));
    expect(e).toEqual({ code: 'DELIVERY_NOT_CONFIRMED', message: reason });
    expect(w.deliveryLines()[0]).toMatchObject({ ok: false, err: reason, via: undefined });
  });

  it('without a composer hold (bare deps), a dialog on screen is refused with PEER_WAITING and nothing is pasted (§6.4)', async () => {
    const w = world();
    w.live.add('claude-alice');
    w.screens.set('claude-alice', { state: 'waiting', why: 'choice-menu' });
    const { composer: _held, ...bare } = w.deps();
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' }, bare));
    expect(e.code).toBe('PEER_WAITING');
    expect(e.message).toBe('alice (claude) is showing a dialog that a paste would answer (choice-menu); not delivered — answer it with `iapeer attach alice`, then send again');
    expectNothingChanged(w, e.message);
    expect(w.deliveries).toBe(0);
    // busy still delivers: an agent at work takes a paste into its input queue
    w.screens.set('claude-alice', { state: 'busy', why: 'esc-to-interrupt' });
    await expect(sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi again' }, bare)).resolves.toMatchObject({ ok: true });
  });

  it('refuses a send to yourself: `cannot send to self`', async () => {
    const w = world();
    w.live.add('claude-boris');
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'boris', message: 'me' }));
    expect(e).toEqual({ code: 'SEND_REJECTED', message: 'cannot send to self' });
    expectNothingChanged(w, 'cannot send to self');
  });

  it('refuses a send to yourself while asleep too, before any wake', async () => {
    const w = world();
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'boris', message: 'me' }));
    expect(e.message).toBe('cannot send to self');
    expectNothingChanged(w, 'cannot send to self');
  });

  it('lets a peer reach its own other runtime', async () => {
    const w = world();
    w.live.add('codex-alice');
    const r = await sendFrom(w, 'claude-alice', { personality: 'alice', runtime: 'codex', message: 'hi other me' });
    expect(r.delivered_to.runtime).toBe('codex');
  });
});

describe('routeSend: asleep target (§6.2 step 6)', () => {
  it('wakes through the supervisor with the envelope as the task and answers woke:true', async () => {
    const w = world();
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'wake up', topic: 't1' });
    expect(r).toMatchObject({ ok: true, delivered_to: { personality: 'alice', runtime: 'claude' }, woke: true });
    expect(w.wakes).toHaveLength(1);
    expect(w.wakes[0]).toMatchObject({ personality: 'alice', runtime: undefined, topic: 't1' });
    expect(w.wakes[0].task).toContain('<message><![CDATA[wake up]]></message>');
    expect(w.landed.get('claude-alice')).toEqual([w.wakes[0].task]);
    expect(w.deliveryLines()[0]).toMatchObject({ ok: true, woke: true, via: 'claude-alice' });
  });

  it('wakes the explicitly named runtime', async () => {
    const w = world();
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', runtime: 'codex', message: 'hi' });
    expect(w.wakes[0].runtime).toBe('codex');
    expect(r.delivered_to.runtime).toBe('codex');
  });

  it('returns the stop reason unchanged for a stopped peer', async () => {
    const w = world();
    const reason = '"alice" (claude) is stopped and not accepting messages; start it to resume';
    w.wakeBehaviour = { kind: 'fail', reason, stopped: true };
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' }));
    expect(e).toEqual({ code: 'PEER_STOPPED', message: reason });
    expect(w.allLanded()).toEqual([]);
    expect(w.deliveryLines()[0]).toMatchObject({ ok: false, err: reason });
  });

  it('wraps any other wake failure as peer "<p>" offline and wake failed: <reason>, with the supervisor\'s code', async () => {
    const w = world();
    w.wakeBehaviour = { kind: 'fail', code: 'CRASH_LOOP', reason: 'crash-loop guard: 3 deaths in 300s, leaving asleep' };
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' }));
    expect(e).toEqual({ code: 'CRASH_LOOP', message: 'peer "alice" offline and wake failed: crash-loop guard: 3 deaths in 300s, leaving asleep' });
    expect(w.deliveryLines()[0]).toMatchObject({ ok: false, code: 'CRASH_LOOP' });
  });

  it.each([
    ['NOTHING_TO_RESUME', 'no earlier conversation to resume'],
    ['RUNTIME_UNAVAILABLE', 'runtime "zed" has no adapter'],
    ['LAUNCHD_MANAGED', '"alice" is managed by launchd'],
    ['WAKE_FAILED', 'model-did-not-process-task'],
  ] as const)('a wake failed with %s ("%s") reaches the sender with that code and reason', async (code, reason) => {
    const w = world();
    w.wakeBehaviour = { kind: 'fail', code, reason };
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' }));
    expect(e).toEqual({ code, message: `peer "alice" offline and wake failed: ${reason}` });
  });

  it('verifies before acting: a READY wake whose session is not live is a failure', async () => {
    const w = world();
    w.wakeBehaviour = { kind: 'ready-but-dead' };
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' }));
    expect(e.code).toBe('WAKE_FAILED');
    expect(e.message.startsWith('woke "alice" but the session is not live (verify-before-act): ')).toBe(true);
  });

  it('delivers through the live path when the wake took the live fast path (taskDelivered:false)', async () => {
    const w = world();
    w.wakeBehaviour = { kind: 'fast-path' };
    const r = await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' });
    expect(r.woke).toBe(false);
    expect(w.landed.get('claude-alice')).toHaveLength(1);
    expect(w.landed.get('claude-alice')![0]).toBe(w.wakes[0].task);
  });

  it('builds the envelope once: the same text is the wake task and the live payload', async () => {
    const w = world();
    w.wakeBehaviour = { kind: 'fast-path' };
    const deps = w.deps();
    let builds = 0;
    const inner = deps.envelope;
    deps.envelope = { build: (i) => (builds++, inner.build(i)) };
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' }, deps);
    expect(builds).toBe(1);
  });

  it('answers "peer offline" when no wake is wired (no supervisor)', async () => {
    const w = world();
    const deps = w.deps();
    delete deps.supervisor;
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi' }, deps));
    expect(e).toEqual({ code: 'SESSION_NOT_LIVE', message: 'peer offline: alice' });
    const e2 = await refusal(sendFrom(w, 'claude-boris', { personality: 'alice', runtime: 'codex', message: 'hi' }, deps));
    expect(e2.message).toBe('peer offline: alice (codex)');
  });
});

describe('routeSend: refusals before any side effect', () => {
  it('refuses an unknown target before any wake', async () => {
    const w = world();
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'nobody', message: 'hi' }));
    expect(e).toEqual({ code: 'PEER_NOT_FOUND', message: 'peer "nobody" is not in the iapeer peers index; message NOT delivered' });
    expectNothingChanged(w, e.message);
  });

  it('refuses a runtime the target does not declare, before any wake', async () => {
    const w = world();
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'boris', runtime: 'codex', message: 'hi' }));
    expect(e.code).toBe('RUNTIME_NOT_DECLARED');
    expect(e.message).toBe('runtime "codex" is not declared for "boris" (declared: claude); message NOT delivered');
    expectNothingChanged(w, e.message);
  });

  it('telegram guard: a sender without a telegram face cannot send on the telegram channel', async () => {
    const w = world();
    w.live.add('telegram-tg');
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'tg', message: 'hi' }));
    expect(e.code).toBe('SEND_POLICY_REFUSED');
    expect(e.message).toMatch(/^telegram policy: sender "boris" has no telegram face .*NOT delivered$/);
    expectNothingChanged(w, e.message);
  });

  it('telegram guard: checked on the intended channel before a wake', async () => {
    const w = world();
    const e = await refusal(sendFrom(w, 'claude-boris', { personality: 'tg', message: 'hi' }));
    expect(e.code).toBe('SEND_POLICY_REFUSED');
    expectNothingChanged(w, e.message);
  });

  it('telegram guard: a sender with interfaces.telegram.bot passes', async () => {
    const w = world();
    w.live.add('telegram-tg');
    const r = await sendFrom(w, 'claude-bot-owner', { personality: 'tg', message: 'hi' });
    expect(r.delivered_to).toEqual({ personality: 'tg', runtime: 'telegram' });
  });

  const sixteenK = 'x'.repeat(16_000);
  it.each<[string, Record<string, unknown>, string]>([
    ['message one past 16,000', { personality: 'alice', message: sixteenK + 'y' }, 'message is 16001 characters; at most 16000 allowed; message NOT delivered'],
    ['topic one past 200', { personality: 'alice', message: 'hi', topic: 't'.repeat(201) }, 'topic is 201 characters; at most 200 allowed; message NOT delivered'],
    ['21 attachments', { personality: 'alice', message: 'hi', attachments: Array.from({ length: 21 }, (_, i) => `/a/${i}`) }, '21 attachments; at most 20 allowed; message NOT delivered'],
    ['a relative attachment', { personality: 'alice', message: 'hi', attachments: ['/ok', 'rel/x'] }, 'attachment 2 "rel/x" is not an absolute path (it must start with /); message NOT delivered'],
    ['an attachment with LF', { personality: 'alice', message: 'hi', attachments: ['/a\n/b'] }, 'attachment 1 contains a CR or LF; paths must be one line; message NOT delivered'],
    ['an attachment with CR', { personality: 'alice', message: 'hi', attachments: ['/a\r'] }, 'attachment 1 contains a CR or LF; paths must be one line; message NOT delivered'],
    ['an empty message', { personality: 'alice', message: '' }, 'message is empty; message NOT delivered'],
    ['no personality', { message: 'hi' }, 'personality is required: the target peer\'s name, e.g. "boris"; message NOT delivered'],
    ['a runtime-prefixed identity as personality', { personality: 'claude_alice', message: 'hi' }, 'invalid personality "claude_alice": expected ^[a-z][a-z0-9-]{0,31}$ — use the peer\'s name, not a runtime-prefixed identity; message NOT delivered'],
    ['a runtime with a dash', { personality: 'alice', runtime: 'cl-aude', message: 'hi' }, 'invalid runtime "cl-aude": expected ^[a-z][a-z0-9]{0,31}$ (no dashes), e.g. "claude"; message NOT delivered'],
    ['an unknown field', { personality: 'alice', message: 'hi', urgent: true }, 'unknown field "urgent" (allowed: personality, runtime, message, topic, attachments, idempotencyKey, queue); message NOT delivered'],
  ])('refuses %s and changes nothing', async (_name, args, message) => {
    const w = world();
    w.live.add('claude-alice');
    const e = await refusal(sendFrom(w, 'claude-boris', args));
    expect(e).toEqual({ code: 'SEND_REJECTED', message });
    expectNothingChanged(w, message);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a message of exactly 16,000', { message: 'x'.repeat(16_000) }],
    ['16,000 astral characters (counted as characters, not UTF-16 units)', { message: '😀'.repeat(16_000) }],
    ['a topic of exactly 200', { message: 'hi', topic: 't'.repeat(200) }],
    ['exactly 20 attachments', { message: 'hi', attachments: Array.from({ length: 20 }, (_, i) => `/a/${i}`) }],
  ])('accepts %s', async (_name, extra) => {
    const w = world();
    w.live.add('claude-alice');
    await expect(sendFrom(w, 'claude-boris', { personality: 'alice', ...extra })).resolves.toMatchObject({ ok: true });
  });

  it('trims the topic in the envelope and leaves the attribute out when it is blank', async () => {
    const w = world();
    w.live.add('claude-alice');
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi', topic: '  ' + 't'.repeat(198) });
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'hi', topic: '   ' });
    const [first, second] = w.landed.get('claude-alice')!;
    expect(first).toContain(`topic="${'t'.repeat(198)}">`);
    expect(second.split('\n')[0]).toBe('<iap from-personality="boris" from-runtime="claude" from-intelligence="artificial">');
  });
});

describe('caller identity (§8.2) through the pipeline', () => {
  it.each<[string | undefined, string]>([
    [undefined, 'missing or malformed --from "" — expected "<runtime>-<personality>" of a registered peer'],
    ['boris', 'missing or malformed --from "boris" — expected "<runtime>-<personality>" of a registered peer'],
    ['claude-nobody', 'unknown caller "nobody" — not registered in peers-profiles.json'],
    ['codex-boris', 'runtime "codex" is not declared for caller "boris" (declared: claude)'],
  ])('refuses caller %p and changes nothing', async (from, message) => {
    const w = world();
    w.live.add('claude-alice');
    const e = await refusal(sendFrom(w, from, { personality: 'alice', message: 'hi' }));
    expect(e).toEqual({ code: 'CALLER_UNKNOWN', message });
    expectNothingChanged(w, message);
  });

  it('the header wording names the header', async () => {
    const w = world();
    await expect(resolveCaller(undefined, w.deps().directory)).rejects.toThrow('missing or malformed x-iapeer-identity header — expected "<runtime>-<personality>"');
  });
});

describe('delivery.log line (§6.6)', () => {
  it('has the spec fields in order and never the body', async () => {
    const w = world();
    w.live.add('claude-alice');
    await sendFrom(w, 'claude-boris', { personality: 'alice', message: 'secret body text', topic: 'x', attachments: ['/a', '/b'] });
    const [line] = w.deliveryLines();
    expect(Object.keys(line).filter((k) => line[k] !== undefined)).toEqual(['ev', 'path', 'caller', 'to', 'ok', 'via', 'woke', 'ms', 'len', 'att', 'topic']);
    expect(line).toMatchObject({ ev: 'delivery', path: 'cli', caller: 'claude-boris', to: 'alice', ok: true, via: 'claude-alice', woke: false, len: 16, att: 2, topic: 'x' });
    expect(JSON.stringify(w.events)).not.toContain('secret body text');
  });
});

describe('routeSend called directly', () => {
  it('validates its own input (step 1)', async () => {
    const w = world();
    const deps = w.deps();
    const caller = await resolveCaller('claude-boris', deps.directory);
    await expect(routeSend(caller, { personality: 'alice', message: '' }, deps)).rejects.toThrow('message is empty; message NOT delivered');
  });
});
