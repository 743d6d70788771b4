import lockfile from 'proper-lockfile';
import { createKeyedSerializer, IapeerError } from '@iapeer/core';
import { ensureDir } from '@iapeer/storage';
import path from 'node:path';

/**
 * proper-lockfile options of §7.4 step 7: a holder that dies is considered stale after
 * 60 s (the lock's mtime is refreshed every 5 s while held).
 */
export const WAKE_LOCK_OPTIONS = {
  stale: 60_000,
  update: 5_000,
  realpath: false,
  retries: { retries: 30, factor: 1.3, minTimeout: 100, maxTimeout: 1000 },
} as const;

export type WithWakeLock = <T>(identity: string, lockFile: string, fn: () => Promise<T>) => Promise<T>;

/**
 * The per-identity wake lock: an in-process mutex first (the supervisor is the only
 * process that wakes, so this is what serialises concurrent wakes), then proper-lockfile
 * on `<identity>.wake.lock` as a second line against a stray second supervisor.
 * The lock directory itself is `<identity>.wake.lock`.
 */
export function createWakeLock(mutex = createKeyedSerializer()): WithWakeLock {
  return (identity, lockFile, fn) =>
    mutex.run(identity, async () => {
      ensureDir(path.dirname(lockFile));
      let release: () => Promise<void>;
      try {
        release = await lockfile.lock(lockFile, { ...WAKE_LOCK_OPTIONS, lockfilePath: lockFile });
      } catch (err) {
        throw new IapeerError('WAKE_FAILED', `could not take the wake lock ${lockFile}: ${(err as Error).message}; another supervisor may be waking ${identity}`, { cause: err, data: { identity } });
      }
      try {
        return await fn();
      } finally {
        await release().catch(() => {
          /* the lock was already compromised (stale-removed); nothing left to release */
        });
      }
    });
}
