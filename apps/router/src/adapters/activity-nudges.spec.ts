import type { ActivityReading } from '@iapeer/contracts';
import { createActivityNudges, type ActivityChangesClient } from './activity-nudges';

/** A stand-in for the supervisor client: the test pushes readings into the open subscription. */
function client() {
  const subs: { input: { identities?: string[] }; onData(r: ActivityReading): void; closed: boolean }[] = [];
  const c: ActivityChangesClient = {
    activityChanges: {
      subscribe(input, opts) {
        const sub = { input, onData: opts.onData, closed: false };
        subs.push(sub);
        return { unsubscribe: () => void (sub.closed = true) };
      },
    },
  };
  return { c, subs };
}
const reading = (state: ActivityReading['state'], identity = 'claude-bob'): ActivityReading => ({ identity, state, humans: 1, why: 't', at: 0 });

describe('ActivityNudges over activityChanges', () => {
  it('skips the first reading (the state now), ignores held/waiting, wakes on a change to anything else, and unsubscribes', async () => {
    const { c, subs } = client();
    let woke = false;
    const waiting = createActivityNudges(c)
      .wait('claude-bob', 60_000, new AbortController().signal)
      .then(() => (woke = true));
    expect(subs[0].input).toEqual({ identities: ['claude-bob'] });
    subs[0].onData(reading('ready')); // the first reading: not a change
    subs[0].onData(reading('held'));
    subs[0].onData(reading('waiting'));
    subs[0].onData(reading('ready', 'claude-other'));
    await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    subs[0].onData(reading('ready'));
    await waiting;
    expect(subs[0].closed).toBe(true);
  });

  it('ends by its timer or an abort when no change comes', async () => {
    const { c, subs } = client();
    await createActivityNudges(c).wait('claude-bob', 10, new AbortController().signal);
    expect(subs[0].closed).toBe(true);
    const ac = new AbortController();
    const w = createActivityNudges(c).wait('claude-bob', 60_000, ac.signal);
    ac.abort();
    await w;
    expect(subs[1].closed).toBe(true);
  });
});
