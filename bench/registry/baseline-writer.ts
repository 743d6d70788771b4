import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import { writeAtomicUnchecked } from '@iapeer/storage';

/** The original's §4.4 lock options, verbatim. */
const LOCK_OPTIONS = { realpath: false, stale: 10_000, update: 1_000, retries: { retries: 13, factor: 1.4, minTimeout: 50, maxTimeout: 500 } };

/**
 * One upsert the way the original did it (docs/behaviour.md §4.3–4.4): take the proper-lockfile
 * lock, read and parse the whole file, merge one record, write it atomically (temp +
 * fsync + rename), unlock. Throws ELOCKED when the retries run out.
 */
export async function baselineUpsert(files: { peersFile: string; peersLock: string }, personality: string, description: string): Promise<void> {
  const release = await lockfile.lock(files.peersLock, LOCK_OPTIONS);
  try {
    let index: { version: number; peers: any[] } = { version: 2, peers: [] };
    try {
      index = JSON.parse(fs.readFileSync(files.peersFile, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const existing = index.peers.find((p) => p.personality === personality);
    const record = {
      personality,
      default_runtime: 'claude',
      runtime: 'claude',
      runtimes: existing?.runtimes ?? ['claude'],
      description,
      intelligence: existing?.intelligence ?? 'artificial',
      cwd: `/bench/${personality}`,
    };
    index.peers = [...index.peers.filter((p) => p.personality !== personality), record].sort((a, b) => a.personality.localeCompare(b.personality));
    writeAtomicUnchecked(files.peersFile, JSON.stringify(index, null, 2) + '\n', 0o600);
  } finally {
    await release();
  }
}
