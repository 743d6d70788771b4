/**
 * ActivityNudges over the supervisor's `activityChanges` subscription (§6.4): a drain
 * loop waiting on a held target wakes as soon as the supervisor sees that session change
 * to anything but held/waiting. The subscription's first reading (the state as it is
 * now) is not a change and is skipped: the router's own look just said held or waiting,
 * and two readers that disagree for a moment must not wake the loop over and over. A
 * change missed that way (the row emptied just before the subscription) costs one
 * backoff step: the wait runs out and the loop looks itself, as it does without a
 * supervisor or when the subscription fails.
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
        let first = true;
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
                if (r.identity !== identity) return;
                if (first) {
                  first = false;
                  return;
                }
                if (r.state !== 'held' && r.state !== 'waiting') done();
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
