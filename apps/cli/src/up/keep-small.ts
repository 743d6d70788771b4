import fs from 'node:fs';

/** The keeper's own files (`<service>.out`, `keeper.out`, `keeper.events`) rotate past this size. */
export const KEEPER_FILE_MAX_BYTES = 1024 * 1024;

/**
 * Bounds a file the keeper appends to across runs: when it has passed `max` bytes it
 * becomes `<file>.1` (replacing the older one) and the caller starts a new one. Called
 * before each open (a service's start or restart, the keeper's start), so a file holds
 * at most one run's output past the cap, and one older generation stays for forensics.
 */
export function rotateIfOver(file: string, max = KEEPER_FILE_MAX_BYTES): void {
  try {
    if (fs.statSync(file).size > max) fs.renameSync(file, `${file}.1`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
