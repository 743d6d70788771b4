import type { ActivityReading, FleetSnapshot, Peer } from '@iapeer/contracts';
import { waitFor } from '@iapeer/testing';
import { FleetFeed } from './fleet-feed';
import type { IdentityStatus } from './fleet-model';
import type { ServiceClients } from './services';

// The feed against in-memory twins of the four clients (the page-to-service path runs
// for real in apps/e2e/src/console.spec.ts): what it re-reads on which event.
type Handlers<T> = { onData(v: T): void; onError(e: unknown): void; onComplete(): void };

function twins() {
  const peers: Peer[] = [{ personality: 'bob', default_runtime: 'fake', runtimes: ['fake'], description: '', intelligence: 'artificial', intelligence_raw: 'artificial', cwd: '/p/bob' }];
  const states = new Map<string, IdentityStatus>();
  const calls: string[] = [];
  let activity: Handlers<ActivityReading> | undefined;
  const tails = new Map<string, Handlers<{ pos: number; lines: string[]; skipped: number }>>();
  const sub = () => ({ unsubscribe: () => undefined });
  const clients = {
    registry: { list: { query: async () => ({ peers, warnings: [] }) } },
    supervisor: {
      state: {
        query: async (input: { personality?: string }) => {
          calls.push(`state:${input.personality ?? '*'}`);
          return [...states.values()].filter((s) => !input.personality || s.personality === input.personality);
        },
      },
      activityChanges: { subscribe: (_: unknown, h: Handlers<ActivityReading>) => ((activity = h), sub()) },
    },
    router: {},
    logd: {
      query: { query: async () => ({ lines: [], end: 0 }) },
      tail: { subscribe: (input: { log: string }, h: Handlers<{ pos: number; lines: string[]; skipped: number }>) => (tails.set(input.log, h), sub()) },
    },
  } as unknown as ServiceClients;
  return { clients, states, calls, activity: () => activity!, tail: (log: string) => tails.get(log)! };
}

const status = (state: IdentityStatus['status'], stopped = false): IdentityStatus => ({
  identity: 'fake-bob', personality: 'bob', runtime: 'fake', status: state, lastActivityMs: null, deathsInWindow: 0, queueDepth: 0, markers: { stopped, topics: [] },
});

describe('the fleet feed', () => {
  let feed: FleetFeed;
  afterEach(() => feed.stop());

  it('a live reading shows at once; a lifecycle line about the peer re-reads its state; the ended session\'s reading is dropped', async () => {
    const t = twins();
    t.states.set('fake-bob', status('live'));
    feed = new FleetFeed({ clients: t.clients, services: [], probe: async () => undefined, crashLoopMax: 3, sweepMs: 3_600_000 });
    const seen: FleetSnapshot[] = [];
    feed.onSnapshot((s) => seen.push(s));
    feed.start();
    const bobState = () => feed.snapshot().rows[0]?.identities[0].state;
    await waitFor(() => bobState() === 'unknown', 'bob live, not read yet');

    t.activity().onData({ identity: 'fake-bob', state: 'ready', humans: 0, why: 'input row empty', at: Date.now() - 10 });
    await waitFor(() => bobState() === 'ready', 'bob ready');

    // the operator stops bob: the supervisor stops watching the session (no `dead` reading comes)
    t.states.set('fake-bob', status('stopped', true));
    await waitFor(() => t.tail('lifecycle') !== undefined, 'the lifecycle tail');
    t.calls.length = 0;
    t.tail('lifecycle').onData({ pos: 100, lines: [`ts=${new Date().toISOString()} ev=stop personality=bob identity=fake-bob outcome=stopped`], skipped: 0 });
    await waitFor(() => bobState() === 'stopped', 'bob stopped');
    expect(t.calls).toContain('state:bob');
    expect(feed.recentDecisions().map((d) => d.ev)).toEqual(['stop']);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('a failed delivery line reaches the attention list', async () => {
    const t = twins();
    feed = new FleetFeed({ clients: t.clients, services: [], probe: async () => undefined, crashLoopMax: 3, sweepMs: 3_600_000 });
    feed.start();
    await waitFor(() => t.tail('delivery') !== undefined, 'the delivery tail');
    t.tail('delivery').onData({ pos: 10, lines: [`ts=${new Date().toISOString()} ev=delivery path=cli caller=fake-alice to=bob ok=false code=PEER_STOPPED err="stopped"`], skipped: 0 });
    await waitFor(() => feed.snapshot().attention.some((a) => a.kind === 'delivery-failed' && a.personality === 'bob'), 'the failed delivery in attention');
  });
});
