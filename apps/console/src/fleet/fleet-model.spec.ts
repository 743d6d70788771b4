import type { ActivityReading, Peer } from '@iapeer/contracts';
import { toDecision } from './decision-line';
import { buildSnapshot, identityState, type FleetInputs, type IdentityStatus } from './fleet-model';

const NOW = Date.parse('2026-12-05T10:00:00.000Z');
const peer = (personality: string, runtimes = ['fake']): Peer => ({
  personality,
  default_runtime: runtimes[0],
  runtimes,
  description: `${personality} the tester`,
  intelligence: 'artificial',
  intelligence_raw: 'artificial',
  cwd: `/p/${personality}`,
});
const status = (identity: string, over: Partial<IdentityStatus> = {}): IdentityStatus => {
  const [runtime, personality] = identity.split('-');
  return { identity, personality, runtime, status: 'asleep', lastActivityMs: null, deathsInWindow: 0, queueDepth: 0, markers: { stopped: false, topics: [] }, ...over };
};
const reading = (identity: string, state: ActivityReading['state'], humans = 0): ActivityReading => ({ identity, state, humans, why: `rule for ${state}`, at: NOW });
const inputs = (over: Partial<FleetInputs> = {}): FleetInputs => ({
  peers: [peer('bob'), peer('alice', ['fake', 'codex'])],
  states: new Map(),
  activity: new Map(),
  services: [{ name: 'logd', up: true }],
  failedDeliveries: [],
  crashLoopMax: 3,
  now: NOW,
  ...over,
});

describe('the fleet model', () => {
  it('state: a live reading wins; else stopped, crash-looped, a live session not read yet, asleep', () => {
    expect(identityState(status('fake-bob', { status: 'live' }), reading('fake-bob', 'busy'), 3)).toEqual({ state: 'busy', why: 'rule for busy' });
    expect(identityState(status('fake-bob', { status: 'stopped', markers: { stopped: true, topics: [] } }), reading('fake-bob', 'dead'), 3).state).toBe('stopped');
    expect(identityState(status('fake-bob', { deathsInWindow: 3 }), undefined, 3).state).toBe('crash-looped');
    expect(identityState(status('fake-bob', { deathsInWindow: 2 }), undefined, 3).state).toBe('asleep');
    expect(identityState(status('fake-bob', { status: 'live' }), undefined, 3).state).toBe('unknown');
    expect(identityState(undefined, undefined, 3)).toEqual({ state: 'asleep', why: 'no live session' });
    // a reading of a session that just died says asleep until the supervisor says more
    expect(identityState(status('fake-bob', { status: 'live' }), reading('fake-bob', 'dead'), 3).state).toBe('asleep');
  });

  it('rows: sorted by peer, one identity per declared runtime, topic is the newest', () => {
    const snap = buildSnapshot(7, inputs({
      states: new Map([['fake-bob', status('fake-bob', { status: 'live', lastActivityMs: NOW - 5000, queueDepth: 2, markers: { stopped: false, topics: ['old', 'release'] } })]]),
      activity: new Map([['fake-bob', reading('fake-bob', 'ready')]]),
    }));
    expect(snap.version).toBe(7);
    expect(snap.rows.map((r) => r.personality)).toEqual(['alice', 'bob']);
    expect(snap.rows[0].identities.map((i) => [i.identity, i.state])).toEqual([['fake-alice', 'asleep'], ['codex-alice', 'asleep']]);
    expect(snap.rows[1].identities[0]).toMatchObject({ identity: 'fake-bob', state: 'ready', topic: 'release', queueDepth: 2, lastActivityMs: NOW - 5000 });
  });

  it('attention: crash-loop, waiting, held, a failed delivery in the last 10 minutes, a service down', () => {
    const failed = toDecision(1, 'delivery', 'ts=2026-12-05T09:58:00.000Z ev=delivery path=cli caller=fake-alice to=bob ok=false ms=3 len=5 att=0 code=PEER_STOPPED err="peer stopped"')!;
    const stale = toDecision(2, 'delivery', 'ts=2026-12-05T09:40:00.000Z ev=delivery path=cli caller=fake-alice to=bob ok=false code=PEER_STOPPED')!;
    const snap = buildSnapshot(1, inputs({
      peers: [peer('alice'), peer('bob'), peer('carol')],
      states: new Map([['fake-carol', status('fake-carol', { deathsInWindow: 4 })]]),
      activity: new Map([['fake-alice', reading('fake-alice', 'waiting')], ['fake-bob', reading('fake-bob', 'held', 1)]]),
      services: [{ name: 'logd', up: true }, { name: 'router', up: false, reason: 'router is not running' }],
      failedDeliveries: [stale, failed],
    }));
    expect(snap.attention.map((a) => [a.kind, a.personality])).toEqual([
      ['service-down', undefined],
      ['waiting', 'alice'],
      ['held', 'bob'],
      ['crash-loop', 'carol'],
      ['delivery-failed', 'bob'],
    ]);
    expect(snap.attention[4].text).toBe('delivery to bob failed: PEER_STOPPED peer stopped');
  });
});

describe('decision lines', () => {
  it('keeps the fields and the peer a line is about, and drops any body-like field', () => {
    const d = toDecision(5, 'lifecycle', 'ts=2026-12-05T09:00:00.000Z ev=wake personality=bob identity=fake-bob mode=fresh cause=first-wake message="secret body" text=also')!;
    expect(d).toEqual({ id: 5, log: 'lifecycle', ts: '2026-12-05T09:00:00.000Z', ev: 'wake', peer: 'bob', fields: { ev: 'wake', personality: 'bob', identity: 'fake-bob', mode: 'fresh', cause: 'first-wake' } });
    expect(toDecision(6, 'delivery', 'ts=2026-12-05T09:00:00.000Z ev=delivery to=alice ok=true')!.peer).toBe('alice');
    expect(toDecision(7, 'lifecycle', 'ts=2026-12-05T09:00:00.000Z ev=supervise identity=codex-carol')!.peer).toBe('carol');
    expect(toDecision(8, 'lifecycle', 'no event here')).toBeNull();
  });
});
