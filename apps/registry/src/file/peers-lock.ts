import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import { IapeerError, type IapeerPaths } from '@iapeer/core';
import { ensureDir, FILE_MODE } from '@iapeer/storage';

/** The file-lock options of docs/behaviour.md §4.4, shared by every writer of the registry. */
export const PEERS_LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  update: 1_000,
  retries: { retries: 13, factor: 1.4, minTimeout: 50, maxTimeout: 500 },
} as const;

export interface PeersLockDeps {
  /** Clock for the overall deadline (tests may inject). */
  now?: () => number;
  /** Called once per ELOCKED round, so the service can log contention. */
  onContention?: (attempt: number) => void;
}

/**
 * Runs `fn` holding the proper-lockfile lock on peers-profiles.lock — the second line of
 * defence behind the in-process queue (only a stray second writer ever contends).
 * Unlike the original, a writer never dies of ELOCKED: after the §4.4 retries it tries
 * again until `deadlineMs` (past the 10 s stale window, so a lock left by a SIGKILLed
 * holder is always reclaimed).
 */
export async function withPeersLock<T>(paths: IapeerPaths, fn: () => T | Promise<T>, deadlineMs = 30_000, deps: PeersLockDeps = {}): Promise<T> {
  const now = deps.now ?? Date.now;
  ensureDir(paths.root);
  fs.closeSync(fs.openSync(paths.peersLock, 'a', FILE_MODE));
  const deadline = now() + deadlineMs;
  let release: (() => Promise<void>) | undefined;
  for (let attempt = 1; !release; attempt++) {
    try {
      release = await lockfile.lock(paths.peersLock, {
        ...PEERS_LOCK_OPTIONS,
        onCompromised: () => {
          // another process took a lock we still hold (stale threshold passed while we
          // were blocked); the rename we do is still atomic, so only log-worthy
          deps.onContention?.(-1);
        },
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED' || now() > deadline) {
        throw new IapeerError('INTERNAL', `could not lock ${paths.peersLock}: ${(err as Error).message}`, { cause: err });
      }
      deps.onContention?.(attempt);
    }
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => {
      /* the lock dir was already gone (compromised); nothing left to release */
    });
  }
}
