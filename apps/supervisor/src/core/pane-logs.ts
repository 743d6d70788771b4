import fs from 'node:fs';
import path from 'node:path';

/**
 * Deletes an identity's pane log, its rotations (`.log.N`) and its exit spool from the
 * pane-log dir (`purge`, after the session was killed: no writer is left). The dot
 * delimiter means `claude-bob` never matches `claude-bob2`. Returns the removed names.
 */
export function purgePaneLogs(paneLogDir: string, identity: string): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(paneLogDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const ours = (n: string) => n === `${identity}.log` || n.startsWith(`${identity}.log.`) || n === `${identity}.exits` || n === `${identity}.exits.draining`;
  const removed = names.filter(ours);
  for (const n of removed) fs.rmSync(path.join(paneLogDir, n), { force: true });
  return removed.sort();
}
