/**
 * ActivityNudges over the supervisor's `activityChanges` subscription (§6.4): a drain
 * loop waiting on a held target wakes as soon as the supervisor reads that session as
 * anything but held/waiting (its first reading is the current state, so a row that
 * emptied just before the wait began is not missed). Without a supervisor, or when the
 * subscription fails, the wait simply runs out and the loop re-reads the screen itself.
 */
import type { ActivityReading } from '@iapeer/contracts';
import type { ActivityNudges } from '../composer/composer-hold';

/** The part of the supervisor's tRPC client this adapter uses. */
export interface ActivityChangesClient {
  activityChanges: {
    subscribe(
      input: { identities?: string[] },
      opts: { onData(r: ActivityReading): void; onError(err: unknown): void },
    ): { unsubscribe(): void };
  };
}

export function createActivityNudges(client: ActivityChangesClient): ActivityNudges {
  return {
    wait(identity, ms, signal) {
      return new Promise<void>((resolve) => {
        let sub: { unsubscribe(): void } | undefined;
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          sub?.unsubscribe();
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done);
        if (signal.aborted) return done();
        try {
          sub = client.activityChanges.subscribe(
            { identities: [identity] },
            {
              onData: (r) => {
                if (r.identity === identity && r.state !== 'held' && r.state !== 'waiting') done();
              },
              onError: () => undefined, // the timer still ends the wait
            },
          );
        } catch {
          /* no subscription: the timer ends the wait */
        }
      });
    },
  };
}
