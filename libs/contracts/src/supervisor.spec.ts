import {
  MarkFreshInputSchema, NewInputSchema, NoteTopicInputSchema, StateInputSchema, StateResultSchema, StopResultSchema, TargetSelectorSchema,
  TickInputSchema, TickResultSchema, WakeInputSchema, WakeResultSchema, PhaseEventSchema, PurgeInputSchema, PurgeResultSchema,
  EnqueueInputSchema, EnqueueResultSchema, ArmInputSchema, ArmResultSchema,
} from './supervisor';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) => expect(schema.safeParse(v).success).toBe(true);
const bad = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } }, v: unknown, field: string) => {
  const r = schema.safeParse(v);
  expect(r.success).toBe(false);
  expect(JSON.stringify(r.error!.issues)).toContain(field);
};

describe('supervisor contract', () => {
  it('wake input: personality required, optional runtime/topic/task/resume/origin, strict', () => {
    ok(WakeInputSchema, { personality: 'bob' });
    ok(WakeInputSchema, { personality: 'bob', runtime: 'codex', topic: 'release', task: '<iap/>', resume: false, origin: 'folder-launch' });
    bad(WakeInputSchema, {}, 'personality');
    bad(WakeInputSchema, { personality: 'Bob' }, 'personality');
    bad(WakeInputSchema, { personality: 'bob', runtime: 'claude-code' }, 'runtime');
    bad(WakeInputSchema, { personality: 'bob', topic: 'x'.repeat(201) }, 'topic');
    bad(WakeInputSchema, { personality: 'bob', origin: 'cron' }, 'origin');
    bad(WakeInputSchema, { personality: 'bob', extra: 1 }, 'extra');
  });

  it('wake result: READY or FAILED with a registered error code', () => {
    ok(WakeResultSchema, { status: 'READY', identity: 'claude-bob', personality: 'bob', runtime: 'claude', woke: true, taskDelivered: true, mode: 'fresh', cause: 'first-wake' });
    ok(WakeResultSchema, { status: 'FAILED', code: 'PEER_STOPPED', reason: 'stopped', identity: 'claude-bob', stopped: true });
    bad(WakeResultSchema, { status: 'FAILED', code: 'NOPE', reason: 'x' }, 'code');
    bad(WakeResultSchema, { status: 'READY', identity: 'bob', personality: 'bob', runtime: 'claude', woke: true, taskDelivered: true }, 'identity');
    bad(WakeResultSchema, { status: 'MAYBE' }, 'status');
  });

  it('stop/start/refresh selector: a peer (with an optional runtime) xor all', () => {
    ok(TargetSelectorSchema, { personality: 'bob' });
    ok(TargetSelectorSchema, { personality: 'bob', runtime: 'claude' });
    ok(TargetSelectorSchema, { all: true });
    bad(TargetSelectorSchema, {}, 'name a peer or pass all');
    bad(TargetSelectorSchema, { personality: 'bob', all: true }, 'not both');
    bad(TargetSelectorSchema, { all: true, runtime: 'claude' }, 'a runtime needs a peer');
    bad(TargetSelectorSchema, { personality: 'bob', force: true }, 'force');
  });

  it('stop result rows carry a known outcome', () => {
    ok(StopResultSchema, [{ personality: 'bob', runtime: 'claude', identity: 'claude-bob', outcome: 'stopped' }]);
    bad(StopResultSchema, [{ personality: 'bob', runtime: 'claude', identity: 'claude-bob', outcome: 'paused' }], 'outcome');
  });

  it('markFresh, new and noteTopic inputs', () => {
    ok(MarkFreshInputSchema, { identity: 'claude-bob' });
    bad(MarkFreshInputSchema, { identity: 'bob' }, 'identity');
    ok(NewInputSchema, { personality: 'bob', runtime: 'codex' });
    bad(NewInputSchema, { personality: 'bob', all: true }, 'all');
    ok(NoteTopicInputSchema, { identity: 'codex-amy', topic: 't' });
    bad(NoteTopicInputSchema, { identity: 'codex-amy', topic: '' }, 'topic');
  });

  it('tick: no input; a result of outcomes and relaunches', () => {
    ok(TickInputSchema, undefined);
    bad(TickInputSchema, { now: 1 }, 'now');
    ok(TickResultSchema, {
      outcomes: [{ identity: 'claude-bob', action: 'reaped-gone', reason: 'session no longer live', death: 'server-dead', outcome: 'fresh-next-msg' }],
      relaunched: [{ identity: 'claude-bob', result: { status: 'FAILED', code: 'CRASH_LOOP', reason: 'crash-loop guard: 3 deaths in 300s, leaving asleep' } }],
      drained: [{ identity: 'claude-w', seq: '000001', result: { status: 'READY', identity: 'claude-w', personality: 'w', runtime: 'claude', woke: true, taskDelivered: true } }],
    });
    ok(TickResultSchema, { outcomes: [{ identity: 'claude-w', action: 'reaped-ephemeral', reason: 'ephemeral-done', age: 21, outcome: 'fresh-next-msg' }], relaunched: [], drained: [] });
    bad(TickResultSchema, { outcomes: [{ identity: 'claude-bob', action: 'exploded' }], relaunched: [], drained: [] }, 'action');
    bad(TickResultSchema, { outcomes: [], relaunched: [], drained: [{ identity: 'claude-w', seq: '1', result: { status: 'FAILED', code: 'WAKE_FAILED', reason: 'x' } }] }, 'seq');
  });

  it('state: optional personality; rows with status, activity, deaths and markers', () => {
    ok(StateInputSchema, undefined);
    ok(StateInputSchema, { personality: 'bob' });
    bad(StateInputSchema, { personality: 'Bob' }, 'personality');
    const row = {
      identity: 'claude-bob', personality: 'bob', runtime: 'claude', status: 'asleep', lastActivityMs: null, deathsInWindow: 0, queueDepth: 0,
      markers: { session: null, stopped: false, idleReaped: true, newEager: false, freshNext: false, ephemeralArmed: false, topics: ['a'], deaths: [] },
    };
    ok(StateResultSchema, [row]);
    bad(StateResultSchema, [{ ...row, status: 'zombie' }], 'status');
  });

  it('enqueue (§7.7): a message for an ephemeral worker in, its place in the queue out', () => {
    const input = { personality: 'w', runtime: 'claude', task: '<iap …>', topic: 't', sendId: '0123456789abcdef' };
    ok(EnqueueInputSchema, input);
    bad(EnqueueInputSchema, { ...input, task: '' }, 'task');
    bad(EnqueueInputSchema, { ...input, runtime: undefined }, 'runtime');
    bad(EnqueueInputSchema, { ...input, sendId: 'k1' }, 'sendId');
    bad(EnqueueInputSchema, { ...input, identity: 'claude-w' }, 'identity');
    ok(EnqueueResultSchema, { identity: 'claude-w', seq: '000002', depth: 2, duplicate: false });
    bad(EnqueueResultSchema, { identity: 'claude-w', seq: '000002', depth: 0, duplicate: false }, 'depth');
  });

  it('arm (§7.7): an identity and why in; armed, whether the peer is ephemeral and the quiet bound out', () => {
    ok(ArmInputSchema, { identity: 'claude-w', origin: 'self-done' });
    ok(ArmInputSchema, { identity: 'claude-w', origin: 'outbound' });
    bad(ArmInputSchema, { identity: 'w', origin: 'self-done' }, 'identity');
    bad(ArmInputSchema, { identity: 'claude-w', origin: 'tired' }, 'origin');
    ok(ArmResultSchema, { identity: 'claude-w', armed: true, ephemeral: false, quietSecs: 20 });
    bad(ArmResultSchema, { identity: 'claude-w', armed: false, ephemeral: true, quietSecs: 20 }, 'armed');
  });

  it('wakePhases events', () => {
    ok(PhaseEventSchema, { identity: 'claude-bob', phase: 'booting' });
    bad(PhaseEventSchema, { identity: 'claude-bob', phase: 'dreaming' }, 'phase');
  });

  it('purge: one peer name in; what was killed and removed out', () => {
    ok(PurgeInputSchema, { personality: 'bob' });
    bad(PurgeInputSchema, {}, 'personality');
    bad(PurgeInputSchema, { personality: '../etc' }, 'personality');
    bad(PurgeInputSchema, { personality: 'bob', all: true }, 'all');
    ok(PurgeResultSchema, { personality: 'bob', killed: ['claude-bob'], removed: ['claude-bob.session', 'fake-bob.stopped'] });
    bad(PurgeResultSchema, { personality: 'bob', killed: ['bob'], removed: [] }, 'killed');
  });
});
